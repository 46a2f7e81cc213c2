; Inno Setup 6 script: installs Companion for the current user, without admin rights.
;
; Build on Windows, after the PyInstaller bundle (dist\companion\companion.exe):
;     pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\pyinstaller\companion.spec
;     iscc /DAppVersion=0.1.0 packaging\windows\companion.iss
; -> dist\companion-<version>-setup.exe
;
; The registry entries are exactly what companion/desktop/url_handler_windows.py
; (registration) and companion/desktop/autostart.py (run_value) write for
; "{app}\companion.exe"; tests/packaging/test_packaging_files.py compares them. Uninstall
; removes all of them, and also what the app wrote itself ("Start at login" in its settings,
; `companion install-url-handler`) while it pointed at this installation.

#ifndef AppVersion
  ; must equal companion/__init__.py __version__ (a test checks it)
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{FD2D500E-7090-4378-A2C8-325CF51D31D0}
AppName=Companion
AppVersion={#AppVersion}
AppVerName=Companion {#AppVersion}
AppPublisher=The Companion developers
AppComments=Dial, presence, redirects, voicemail and fax for pascom phone systems
VersionInfoVersion={#AppVersion}
; per user: no UAC prompt, everything under the user's profile and HKCU
PrivilegesRequired=lowest
DefaultDirName={userpf}\Companion
DefaultGroupName=Companion
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\companion.exe
UninstallDisplayName=Companion
SetupIconFile=companion.ico
OutputDir=..\..\dist
OutputBaseFilename=companion-{#AppVersion}-setup
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; tell Explorer that URL associations changed
ChangesAssociations=yes
; a running Companion holds files open: ask it to close (Restart Manager)
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "de"; MessagesFile: "compiler:Languages\German.isl"

[CustomMessages]
en.AutostartTask=Start Companion when I log in
de.AutostartTask=Companion bei der Anmeldung starten
en.ChooseDefault=Choose Companion for phone links (Settings > Default apps)
de.ChooseDefault=Companion für Telefon-Links wählen (Einstellungen > Standard-Apps)

[Tasks]
Name: "autostart"; Description: "{cm:AutostartTask}"
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\companion\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Companion"; Filename: "{app}\companion.exe"
Name: "{autodesktop}\Companion"; Filename: "{app}\companion.exe"; Tasks: desktopicon

[Registry]
; The URL protocols (HKCU\Software\Classes\<scheme>), each only when it is free or already
; Companion's: a scheme another program registered for this user is left alone, as the app
; does (Windows lists Companion for it through Capabilities anyway).
Root: HKCU; Subkey: "Software\Classes\tel"; ValueType: string; ValueName: ""; ValueData: "URL:tel"; Flags: uninsdeletekey; Check: RegisterScheme('tel')
Root: HKCU; Subkey: "Software\Classes\tel"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Check: RegisterScheme('tel')
Root: HKCU; Subkey: "Software\Classes\tel\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\companion.exe"",0"; Check: RegisterScheme('tel')
Root: HKCU; Subkey: "Software\Classes\tel\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\companion.exe"" ""%1"""; Check: RegisterScheme('tel')
Root: HKCU; Subkey: "Software\Classes\callto"; ValueType: string; ValueName: ""; ValueData: "URL:callto"; Flags: uninsdeletekey; Check: RegisterScheme('callto')
Root: HKCU; Subkey: "Software\Classes\callto"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Check: RegisterScheme('callto')
Root: HKCU; Subkey: "Software\Classes\callto\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\companion.exe"",0"; Check: RegisterScheme('callto')
Root: HKCU; Subkey: "Software\Classes\callto\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\companion.exe"" ""%1"""; Check: RegisterScheme('callto')
Root: HKCU; Subkey: "Software\Classes\sip"; ValueType: string; ValueName: ""; ValueData: "URL:sip"; Flags: uninsdeletekey; Check: RegisterScheme('sip')
Root: HKCU; Subkey: "Software\Classes\sip"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Check: RegisterScheme('sip')
Root: HKCU; Subkey: "Software\Classes\sip\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\companion.exe"",0"; Check: RegisterScheme('sip')
Root: HKCU; Subkey: "Software\Classes\sip\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\companion.exe"" ""%1"""; Check: RegisterScheme('sip')
Root: HKCU; Subkey: "Software\Classes\sips"; ValueType: string; ValueName: ""; ValueData: "URL:sips"; Flags: uninsdeletekey; Check: RegisterScheme('sips')
Root: HKCU; Subkey: "Software\Classes\sips"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Check: RegisterScheme('sips')
Root: HKCU; Subkey: "Software\Classes\sips\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\companion.exe"",0"; Check: RegisterScheme('sips')
Root: HKCU; Subkey: "Software\Classes\sips\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\companion.exe"" ""%1"""; Check: RegisterScheme('sips')
Root: HKCU; Subkey: "Software\Classes\companion"; ValueType: string; ValueName: ""; ValueData: "URL:companion"; Flags: uninsdeletekey; Check: RegisterScheme('companion')
Root: HKCU; Subkey: "Software\Classes\companion"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Check: RegisterScheme('companion')
Root: HKCU; Subkey: "Software\Classes\companion\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\companion.exe"",0"; Check: RegisterScheme('companion')
Root: HKCU; Subkey: "Software\Classes\companion\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\companion.exe"" ""%1"""; Check: RegisterScheme('companion')
; The ProgID the Capabilities name
Root: HKCU; Subkey: "Software\Classes\Companion.URL"; ValueType: string; ValueName: ""; ValueData: "Companion phone link"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\Companion.URL"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""
Root: HKCU; Subkey: "Software\Classes\Companion.URL\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\companion.exe"",0"
Root: HKCU; Subkey: "Software\Classes\Companion.URL\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\companion.exe"" ""%1"""
; Capabilities and RegisteredApplications: Companion in Settings > Default apps
Root: HKCU; Subkey: "Software\Companion"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Companion\Capabilities"; ValueType: string; ValueName: "ApplicationName"; ValueData: "Companion"
Root: HKCU; Subkey: "Software\Companion\Capabilities"; ValueType: string; ValueName: "ApplicationDescription"; ValueData: "Dial tel:, callto: and sip: links through your pascom phone system"
Root: HKCU; Subkey: "Software\Companion\Capabilities\URLAssociations"; ValueType: string; ValueName: "tel"; ValueData: "Companion.URL"
Root: HKCU; Subkey: "Software\Companion\Capabilities\URLAssociations"; ValueType: string; ValueName: "callto"; ValueData: "Companion.URL"
Root: HKCU; Subkey: "Software\Companion\Capabilities\URLAssociations"; ValueType: string; ValueName: "sip"; ValueData: "Companion.URL"
Root: HKCU; Subkey: "Software\Companion\Capabilities\URLAssociations"; ValueType: string; ValueName: "sips"; ValueData: "Companion.URL"
Root: HKCU; Subkey: "Software\Companion\Capabilities\URLAssociations"; ValueType: string; ValueName: "companion"; ValueData: "Companion.URL"
Root: HKCU; Subkey: "Software\RegisteredApplications"; ValueType: string; ValueName: "Companion"; ValueData: "Software\Companion\Capabilities"; Flags: uninsdeletevalue
; Start at login, when the user ticks the task (the app's "Start at login" writes the same)
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "Companion"; ValueData: """{app}\companion.exe"""; Flags: uninsdeletevalue; Tasks: autostart

[Run]
Filename: "{app}\companion.exe"; Description: "{cm:LaunchProgram,Companion}"; Flags: nowait postinstall skipifsilent
Filename: "ms-settings:defaultapps?registeredAppUser=Companion"; Description: "{cm:ChooseDefault}"; Flags: shellexec nowait postinstall skipifsilent unchecked

[Code]
const
  RunKey = 'Software\Microsoft\Windows\CurrentVersion\Run';
  ClassesKey = 'Software\Classes\';

var
  SchemesToRegister: String;

function CompanionCommand(): String;
begin
  Result := '"' + ExpandConstant('{app}') + '\companion.exe" "%1"';
end;

{ The command line marks a scheme key as Companion's: this installation's, or the one an
  earlier installation wrote into the ProgID (url_handler_windows._our_command_lines). }
function IsOurCommand(Command: String): Boolean;
var
  Earlier: String;
begin
  Result := CompareText(Command, CompanionCommand()) = 0;
  if not Result then
    if RegQueryStringValue(HKCU, ClassesKey + 'Companion.URL\shell\open\command', '', Earlier) then
      Result := CompareText(Command, Earlier) = 0;
end;

{ url_handler_windows.WindowsUrlHandler._scheme_is_ours_or_free }
function SchemeIsOursOrFree(Scheme: String): Boolean;
var
  Command: String;
begin
  if RegQueryStringValue(HKCU, ClassesKey + Scheme + '\shell\open\command', '', Command) then
    Result := IsOurCommand(Command)
  else
    Result := not RegValueExists(HKCU, ClassesKey + Scheme, '');
end;

{ Decided once, before the first scheme entry is written: the entries' own writes must not
  change the answer for the entries after them. }
function RegisterScheme(Scheme: String): Boolean;
begin
  if SchemesToRegister = '' then
  begin
    SchemesToRegister := ',';
    if SchemeIsOursOrFree('tel') then SchemesToRegister := SchemesToRegister + 'tel,';
    if SchemeIsOursOrFree('callto') then SchemesToRegister := SchemesToRegister + 'callto,';
    if SchemeIsOursOrFree('sip') then SchemesToRegister := SchemesToRegister + 'sip,';
    if SchemeIsOursOrFree('sips') then SchemesToRegister := SchemesToRegister + 'sips,';
    if SchemeIsOursOrFree('companion') then SchemesToRegister := SchemesToRegister + 'companion,';
  end;
  Result := Pos(',' + Scheme + ',', SchemesToRegister) > 0;
end;

procedure RemoveSchemeIfOurs(Scheme: String);
var
  Command: String;
begin
  if RegQueryStringValue(HKCU, ClassesKey + Scheme + '\shell\open\command', '', Command) then
    if CompareText(Command, CompanionCommand()) = 0 then
      RegDeleteKeyIncludingSubkeys(HKCU, ClassesKey + Scheme);
end;

{ Before the uninstall log is processed: what the app wrote itself for this installation. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Command: String;
begin
  if CurUninstallStep = usUninstall then
  begin
    if RegQueryStringValue(HKCU, RunKey, 'Companion', Command) then
      if Pos(Lowercase(ExpandConstant('{app}') + '\companion.exe'), Lowercase(Command)) > 0 then
        RegDeleteValue(HKCU, RunKey, 'Companion');
    RemoveSchemeIfOurs('tel');
    RemoveSchemeIfOurs('callto');
    RemoveSchemeIfOurs('sip');
    RemoveSchemeIfOurs('sips');
    RemoveSchemeIfOurs('companion');
  end;
end;
