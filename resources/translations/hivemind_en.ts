<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en">
  <context>
    <name>DesktopApp</name>
    <message numerus="yes">
      <source>%n task(s) are running. Quitting stops them and sends what they produced so far back to the node pool.</source>
      <translation>
        <numerusform>%n task is running. Quitting stops it and sends what it produced so far back to the node pool.</numerusform>
        <numerusform>%n tasks are running. Quitting stops them and sends what they produced so far back to the node pool.</numerusform>
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