<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en">
  <context>
    <name>LeavingProgress</name>
    <message numerus="yes">
      <source>Waiting for %n task(s) to finish; no new tasks are taken.</source>
      <translation type="unfinished">
        <numerusform />
        <numerusform />
      </translation>
    </message>
    <message numerus="yes">
      <source>Stopping %n task(s) and sending their results…</source>
      <translation type="unfinished">
        <numerusform />
        <numerusform />
      </translation>
    </message>
  </context>
  <context>
    <name>SetupWizard</name>
    <message numerus="yes">
      <source>up to %n task(s) at a time</source>
      <translation>
        <numerusform>%n task at a time</numerusform>
        <numerusform>up to %n tasks at a time</numerusform>
      </translation>
    </message>
  </context>
</TS>