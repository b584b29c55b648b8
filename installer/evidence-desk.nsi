; EvidenceDesk (举证助手) Windows installer, for NSIS 3 (makensis).
;
;   makensis -INPUTCHARSET UTF8 -DPAYLOAD=dist\EvidenceDesk -DVERSION=0.1.0 ^
;            -DOUTFILE=dist\EvidenceDesk-setup.exe installer\evidence-desk.nsi
;
; PAYLOAD: the one-folder PyInstaller build (EvidenceDesk.exe, evidence-desk.exe, _internal\).
; Per user, without administrator rights: installs to %LOCALAPPDATA%\Programs\EvidenceDesk and
; writes only under HKEY_CURRENT_USER. Start menu and desktop shortcuts; double-clicking a case
; folder's 举证助手案件.evidencecase (written by every new case) opens that case.
; The uninstaller removes the program's own files, shortcuts and registry keys, never a case:
; cases live wherever the user made them, and if one is found inside the install folder the
; uninstaller leaves that folder's contents alone and says so.

Unicode true
ManifestDPIAware true

!ifndef PAYLOAD
  !error "define PAYLOAD: makensis -DPAYLOAD=path\to\dist\EvidenceDesk ..."
!endif
!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef OUTFILE
  !define OUTFILE "EvidenceDesk-${VERSION}-setup.exe"
!endif

!define APP "EvidenceDesk"
!define APP_ZH "举证助手"
!define EXE "EvidenceDesk.exe"
!define CLI_EXE "evidence-desk.exe"
!define MARKER_EXT ".evidencecase"
!define PROGID "EvidenceDesk.Case"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
!define ICON "${__FILEDIR__}\..\resources\icons\app.ico"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"

Name "${APP_ZH} ${APP}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "Software\${APP}" "InstallDir"
SetCompressor /SOLID lzma
ShowInstDetails show
ShowUninstDetails show

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

LangString CASE_KEPT ${LANG_SIMPCHINESE} "安装文件夹里有案件（case.sqlite），已保留该文件夹中的所有文件。只删除了快捷方式和程序启动文件。"
LangString CASE_KEPT ${LANG_ENGLISH} "The install folder holds a case (case.sqlite): every file in it was kept. Only the shortcuts and launchers were removed."
LangString CASE_DOC ${LANG_SIMPCHINESE} "举证助手案件"
LangString CASE_DOC ${LANG_ENGLISH} "EvidenceDesk case"

VIProductVersion "0.0.0.0"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APP}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APP} installer"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "GPL-3.0-or-later"

Function .onInit
  SetShellVarContext current
FunctionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "EvidenceDesk"
  SetOutPath "$INSTDIR"
  File /r "${PAYLOAD}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKCU "Software\${APP}" "InstallDir" "$INSTDIR"

  CreateShortcut "$SMPROGRAMS\${APP_ZH}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
  CreateShortcut "$DESKTOP\${APP_ZH}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  ; the case marker file: HKCU\Software\Classes is the per-user part of HKEY_CLASSES_ROOT
  WriteRegStr HKCU "Software\Classes\${MARKER_EXT}" "" "${PROGID}"
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "$(CASE_DOC)"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\${EXE}" "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'  ; SHCNE_ASSOCCHANGED

  ; Settings > Apps lists it for this user
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_ZH} ${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "EvidenceDesk"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Var CaseInside

Function un.FoundCase
  StrCpy $CaseInside "1"
  Push "StopLocate"
FunctionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP_ZH}.lnk"
  Delete "$DESKTOP\${APP_ZH}.lnk"
  DeleteRegKey HKCU "Software\Classes\${PROGID}"
  ReadRegStr $0 HKCU "Software\Classes\${MARKER_EXT}" ""
  ${If} $0 == "${PROGID}"
    DeleteRegKey HKCU "Software\Classes\${MARKER_EXT}"
  ${EndIf}
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\${APP}"

  ; only what the installer put there; a case someone saved inside keeps the whole folder
  StrCpy $CaseInside "0"
  ${Locate} "$INSTDIR" "/L=F /M=case.sqlite" "un.FoundCase"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  ${If} $CaseInside == "0"
    RMDir /r "$INSTDIR\_internal"
  ${Else}
    MessageBox MB_OK|MB_ICONINFORMATION "$(CASE_KEPT)" /SD IDOK
  ${EndIf}
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"  ; only when empty: never recursive on the install folder itself
SectionEnd
