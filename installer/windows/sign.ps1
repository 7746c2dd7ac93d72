# Authenticode-signs files with signtool, when a code-signing certificate is configured:
#   pwsh installer/windows/sign.ps1 dist\hivemind-desktop\hivemind-desktop.exe ...
# The certificate comes from repository secrets: WINDOWS_CERT_PFX_BASE64 (the .pfx, base64)
# and WINDOWS_CERT_PASSWORD. SmartScreen and Smart App Control trust a signed installer and
# app (an EV certificate at once, a standard one after it gains reputation). Without the
# secret nothing is signed and the script says so: an unsigned build (README: "Opening an
# unsigned build"). Files are signed with SHA-256 and an RFC 3161 timestamp, so the
# signature stays valid after the certificate expires.
param([Parameter(Mandatory = $true, ValueFromRemainingArguments = $true)][string[]]$Files)
$ErrorActionPreference = "Stop"
if (-not $env:WINDOWS_CERT_PFX_BASE64) {
    Write-Host "sign.ps1: WINDOWS_CERT_PFX_BASE64 not set: leaving $($Files -join ', ') unsigned"
    exit 0
}
$timestamp = if ($env:WINDOWS_TIMESTAMP_URL) { $env:WINDOWS_TIMESTAMP_URL } else { "http://timestamp.digicert.com" }
$pfx = Join-Path $env:RUNNER_TEMP "hivemind-signing.pfx"
[IO.File]::WriteAllBytes($pfx, [Convert]::FromBase64String($env:WINDOWS_CERT_PFX_BASE64))
try {
    $signtool = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" |
        Sort-Object FullName -Descending | Select-Object -First 1
    if (-not $signtool) { throw "signtool.exe not found (Windows SDK)" }
    & $signtool.FullName sign /fd SHA256 /tr $timestamp /td SHA256 /f $pfx /p $env:WINDOWS_CERT_PASSWORD $Files
    if ($LASTEXITCODE -ne 0) { throw "signtool sign failed ($LASTEXITCODE)" }
    & $signtool.FullName verify /pa $Files
    if ($LASTEXITCODE -ne 0) { throw "signtool verify failed ($LASTEXITCODE)" }
} finally {
    Remove-Item $pfx -Force
}
