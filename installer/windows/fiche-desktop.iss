; Inno Setup script for Fiche Desktop (Windows 10/11, 64-bit).
; Built by .github/workflows/windows.yml on a Windows runner:
;   pyinstaller --noconfirm installer\fiche_desktop.spec
;   iscc /DAppVersion=X.Y.Z installer\windows\fiche-desktop.iss
; Silent install for fleets:  fiche-desktop-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /ALLUSERS
; Silent uninstall:           "C:\Program Files\Fiche Desktop\unins000.exe" /VERYSILENT
; NOT TRIED HERE: this project's machines run Linux; this script and the workflow have not been run.

; The version comes from the package (fiche_desktop.__version__), passed by the workflow.
#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (python -c "import fiche_desktop; print(fiche_desktop.__version__)")
#endif

[Setup]
AppId={{6B6F1E2A-8C1D-4E0B-9B7C-F1C8E5D2A001}
AppName=Fiche Desktop
AppVersion={#AppVersion}
AppPublisher=Fiche Desktop
DefaultDirName={autopf}\Fiche Desktop
DefaultGroupName=Fiche Desktop
DisableProgramGroupPage=yes
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=fiche-desktop-setup-{#AppVersion}
SetupIconFile=..\..\resources\icons\fiche-desktop.ico
UninstallDisplayIcon={app}\fiche-desktop.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no

[Languages]
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\fiche-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\kiosk\kiosk.toml.example"; DestDir: "{commonappdata}\FicheDesktop"; Flags: onlyifdoesntexist

; fiche-desktop-cli.exe (console) sits beside fiche-desktop.exe: for IT scripts and the command line.

[Icons]
Name: "{autoprograms}\Fiche Desktop"; Filename: "{app}\fiche-desktop.exe"
Name: "{autodesktop}\Fiche Desktop"; Filename: "{app}\fiche-desktop.exe"; Tasks: desktopicon

[Run]
; Proves the installation works, without a user; a failure is shown to the installer.
Filename: "{app}\fiche-desktop-cli.exe"; Parameters: "--smoke-test"; Flags: runhidden waituntilterminated; StatusMsg: "Vérification de l'installation…"
Filename: "{app}\fiche-desktop.exe"; Description: "{cm:LaunchProgram,Fiche Desktop}"; Flags: nowait postinstall skipifsilent
