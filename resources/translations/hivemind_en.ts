<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en">
  <context>
    <name>LeavingProgress</name>
    <message numerus="yes">
      <source>Waiting for %n task(s) to finish; no new tasks are taken.</source>
      <translation>
        <numerusform>Waiting for %n task to finish; no new tasks are taken.</numerusform>
        <numerusform>Waiting for %n tasks to finish; no new tasks are taken.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Stopping %n task(s) and sending their results…</source>
      <translation>
        <numerusform>Stopping %n task and sending its result…</numerusform>
        <numerusform>Stopping %n tasks and sending their results…</numerusform>
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
  <context>
    <name>_Counted</name>
    <message numerus="yes">
      <source>%n task(s) are running. Signing out stops them and sends what they produced so far back to the node pool.</source>
      <translation>
        <numerusform>%n task is running. Signing out stops it and sends what it produced so far back to the node pool.</numerusform>
        <numerusform>%n tasks are running. Signing out stops them and sends what they produced so far back to the node pool.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n task(s) are running. HiveMind can let them finish (it takes no new tasks meanwhile), or stop them now and send what they produced so far back to the node pool.</source>
      <translation>
        <numerusform>%n task is running. HiveMind can let it finish (it takes no new tasks meanwhile), or stop it now and send what it produced so far back to the node pool.</numerusform>
        <numerusform>%n tasks are running. HiveMind can let them finish (it takes no new tasks meanwhile), or stop them now and send what they produced so far back to the node pool.</numerusform>
      </translation>
    </message>
  </context>
</TS>