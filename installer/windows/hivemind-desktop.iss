; Inno Setup 6 script: the Windows installer of HiveMind Desktop.
;   pyinstaller --noconfirm --distpath dist --workpath build build.spec
;   iscc /DAppVersion=0.1.0 installer\windows\hivemind-desktop.iss
; -> dist\hivemind-desktop-<version>-setup.exe
;
; Installs the PyInstaller one-folder bundle (dist\hivemind-desktop), a Start-menu entry,
; optionally start at login (the same HKCU Run value the app's settings toggle writes:
; hivemind_desktop/core/autostart.py, RUN_VALUE_NAME; per-user installs only: in an
; all-users install HKCU would be the administrator's), and, in an all-users install, a
; Windows Firewall rule that lets the node pool reach the worker's port from the VPN's
; subnet only. Before upgrading or uninstalling it asks the running app to stop its tasks
; and quit (`--quit`); uninstalling asks whether to remove the volunteer's data too
; (`forget`: sign-in, WireGuard config and tunnel service, containers, settings, logs).
; On the last page it says whether Docker Desktop and WireGuard are installed, with
; download links when they are not. Inno Setup version: pinned in the workflow.

#define AppName "HiveMind Desktop"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppExe "hivemind-desktop.exe"
#define AppCliExe "hivemind-desktop-cli.exe"
#define BundleDir "..\..\dist\hivemind-desktop"
#define RunKey "Software\Microsoft\Windows\CurrentVersion\Run"
#define RunValueName "HiveMind Desktop"
#define WorkerPort "50053"
#define FirewallRule "HiveMind worker (VPN)"
#define DockerUrl "https://www.docker.com/products/docker-desktop/"
#define WireGuardUrl "https://www.wireguard.com/install/"

[Setup]
AppId={{6B1E0C7E-3F7A-4C55-9D0B-2A8E5C4F9A11}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=HiveMind
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user install by default (no UAC prompt); an administrator may install for everyone.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=hivemind-desktop-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
; Close a running HiveMind Desktop (Restart Manager) before files are replaced or removed.
CloseApplications=force
CloseApplicationsFilter=*.exe,*.dll,*.pyd
RestartApplications=no
SetupMutex=HiveMindDesktopSetup

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "autostart"; Description: "Start {#AppName} when I sign in to Windows"; GroupDescription: "Start at login:"; Check: not IsAdminInstallMode
Name: "firewall"; Description: "Let the HiveMind node pool reach this computer through the VPN (Windows Firewall rule for port {#WorkerPort})"; GroupDescription: "Network:"; Check: IsAdminInstallMode
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade must not keep the old bundle's libraries beside the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Lend this computer's spare power to the HiveMind network"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; Same value name and quoting as autostart.run_key_value(autostart.login_command()):
; "C:\...\hivemind-desktop.exe" --minimized  (tray only at login)
Root: HKCU; Subkey: "{#RunKey}"; ValueType: string; ValueName: "{#RunValueName}"; ValueData: """{app}\{#AppExe}"" --minimized"; Flags: uninsdeletevalue; Tasks: autostart

[Run]
; The rule: inbound TCP to the worker's port, for the app's programs only, from peers on a
; subnet of this computer (the WireGuard tunnel's: the node pool). Old rules go first so
; an upgrade does not stack them.
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall delete rule name=""{#FirewallRule}"""; Flags: runhidden; Tasks: firewall
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall add rule name=""{#FirewallRule}"" dir=in action=allow protocol=TCP localport={#WorkerPort} remoteip=LocalSubnet profile=any program=""{app}\{#AppExe}"""; Flags: runhidden; Tasks: firewall
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall add rule name=""{#FirewallRule}"" dir=in action=allow protocol=TCP localport={#WorkerPort} remoteip=LocalSubnet profile=any program=""{app}\{#AppCliExe}"""; Flags: runhidden; Tasks: firewall
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
; The app was asked to quit cleanly first ([Code], CurUninstallStepChanged); this only ends
; what would not (a console run, a hung process) before its files are removed.
Filename: "{sys}\taskkill.exe"; Parameters: "/F /T /IM {#AppExe}"; Flags: runhidden; RunOnceId: "StopApp"
Filename: "{sys}\taskkill.exe"; Parameters: "/F /T /IM {#AppCliExe}"; Flags: runhidden; RunOnceId: "StopCli"
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall delete rule name=""{#FirewallRule}"""; Flags: runhidden; RunOnceId: "FirewallRule"; Check: IsAdminInstallMode

[UninstallDelete]
Type: filesandordirs; Name: "{app}"

[Code]
function DockerDesktopInstalled: Boolean;
begin
  Result := FileExists(ExpandConstant('{commonpf64}\Docker\Docker\Docker Desktop.exe'))
    or RegKeyExists(HKLM64, 'SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\Docker Desktop')
    or RegKeyExists(HKLM64, 'SOFTWARE\Docker Inc.\Docker\1.0');
end;

function WireGuardInstalled: Boolean;
begin
  Result := FileExists(ExpandConstant('{commonpf64}\WireGuard\wireguard.exe'))
    or RegKeyExists(HKLM64, 'SOFTWARE\WireGuard');
end;

procedure OpenLink(Sender: TObject);
var
  ErrorCode: Integer;
begin
  ShellExecAsOriginalUser('open', TNewStaticText(Sender).Hint, '', '', SW_SHOWNORMAL, ewNoWait, ErrorCode);
end;

function AddText(Top: Integer; Caption: String): Integer;
var
  Text: TNewStaticText;
begin
  Text := TNewStaticText.Create(WizardForm);
  Text.Parent := WizardForm.FinishedPage;
  Text.Left := WizardForm.FinishedLabel.Left;
  Text.Top := Top;
  Text.Width := WizardForm.FinishedLabel.Width;
  Text.AutoSize := False;
  Text.WordWrap := True;
  Text.Height := ScaleY(30);
  Text.Caption := Caption;
  Result := Top + Text.Height + ScaleY(2);
end;

function AddLink(Top: Integer; Caption, Url: String): Integer;
var
  Link: TNewStaticText;
begin
  Link := TNewStaticText.Create(WizardForm);
  Link.Parent := WizardForm.FinishedPage;
  Link.Left := WizardForm.FinishedLabel.Left;
  Link.Top := Top;
  Link.Caption := Caption;
  Link.Hint := Url;
  Link.ShowHint := True;
  Link.Cursor := crHand;
  Link.Font.Color := clBlue;
  Link.Font.Style := [fsUnderline];
  Link.OnClick := @OpenLink;
  Result := Top + Link.Height + ScaleY(10);
end;

procedure CurPageChanged(CurPageID: Integer);
var
  Top: Integer;
begin
  if CurPageID <> wpFinished then
    Exit;
  Top := WizardForm.FinishedLabel.Top + WizardForm.FinishedLabel.Height + ScaleY(12);
  if WizardForm.RunList.Visible then
    Top := WizardForm.RunList.Top + WizardForm.RunList.Height + ScaleY(12);
  if DockerDesktopInstalled then
    Top := AddText(Top, 'Docker Desktop: found.')
  else
  begin
    Top := AddText(Top, 'Docker Desktop was not found. HiveMind Desktop runs tasks only inside Docker: install it, start it, then sign in.');
    Top := AddLink(Top, 'Download Docker Desktop', '{#DockerUrl}');
  end;
  if WireGuardInstalled then
    Top := AddText(Top, 'WireGuard: found.')
  else
  begin
    Top := AddText(Top, 'WireGuard was not found. It connects this computer to the HiveMind network''s VPN.');
    Top := AddLink(Top, 'Download WireGuard', '{#WireGuardUrl}');
  end;
end;

{ Ask the running app to stop its tasks (their results are queued for the pool) and quit;
  it waits until the app has gone. Used before an upgrade and before uninstalling. }
procedure QuitRunningApp(AppDir: String);
var
  ResultCode: Integer;
begin
  if FileExists(AppDir + '\{#AppCliExe}') then
    Exec(AppDir + '\{#AppCliExe}', '--quit', '', SW_HIDE, ewWaitUntilTerminated, ResultCode);
end;

function PrepareToInstall(var NeedsRestart: Boolean): String;
begin
  QuitRunningApp(WizardDirValue);
  Result := '';
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  ResultCode: Integer;
begin
  if CurUninstallStep = usUninstall then
  begin
    QuitRunningApp(ExpandConstant('{app}'));
    { The volunteer's data is theirs: ask before removing it (a silent uninstall keeps it). }
    if (not UninstallSilent) and (MsgBox('Also remove your HiveMind data from this computer?' + #13#10#13#10 +
        'Your remembered sign-in, the WireGuard configuration (with its private key) and ' +
        'tunnel service, the settings, task history, logs and task containers.',
        mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES) then
      Exec(ExpandConstant('{app}\{#AppCliExe}'), 'forget --yes', '', SW_HIDE, ewWaitUntilTerminated, ResultCode);
    { The app's own settings toggle may have written the Run value without the installer
      task: remove it too, so Windows does not try to start a program that is gone. }
    RegDeleteValue(HKCU, '{#RunKey}', '{#RunValueName}');
  end;
end;
