"""C2PA Content Credentials validated offline: files signed here with a test certificate.

The fixture makes a throw-away CA and signing certificate (EC P-256) with `cryptography` and
signs JPEGs with c2pa-python's Builder, so nothing comes from outside. The network test runs
the reader under `strace -f -e trace=connect` (skipped where strace is missing) and checks the
control: c2pa-python's default settings do connect for the same file.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.evidence.checks import Severity, Verdict, check_file
from app.evidence.checks.provenance import C2paReport, report_findings
from tests.evidence.checks import phonefiles as pf

c2pa = pytest.importorskip("c2pa")
x509 = pytest.importorskip("cryptography.x509")
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID  # noqa: E402

CAPTURE = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
AI = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "EvidenceDesk Tests"),
        ]
    )


@pytest.fixture(scope="module")
def signer_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """(certificate chain PEM, PKCS#8 key PEM) of a test signer under a test root."""
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Test Root CA"))
        .issuer_name(_name("Test Root CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("Test Signer"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    chain = leaf.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(
        serialization.Encoding.PEM
    )
    pkcs8 = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return chain, pkcs8


def _sign(
    tmp_path: Path, signer_files: tuple[bytes, bytes], actions: list[dict], name: str
) -> Path:
    chain, key = signer_files
    src = pf.write(tmp_path / f"src_{name}", pf.camera_jpeg(pf.camera_exif("Google", "Pixel 10")))
    dst = tmp_path / name
    manifest = {
        "claim_generator_info": [{"name": "EvidenceDesk test signer", "version": "1.0"}],
        "title": name,
        "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": actions}}],
    }
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(b"es256", chain, key, None))
    with c2pa.Builder(json.dumps(manifest)) as builder:
        builder.sign_file(str(src), str(dst), signer)
    return dst


def _c2pa(check) -> dict[str, tuple[Severity, dict]]:  # type: ignore[no-untyped-def]
    return {f.code: (f.severity, f.params) for f in check.findings if f.code.startswith("c2pa_")}


def test_capture_manifest_valid_untrusted_revocation_not_checked(
    tmp_path: Path, signer_files: tuple[bytes, bytes]
) -> None:
    path = _sign(
        tmp_path,
        signer_files,
        [{"action": "c2pa.created", "digitalSourceType": CAPTURE}],
        "cap.jpg",
    )
    check = check_file(path)
    found = _c2pa(check)
    assert set(found) == {"c2pa_valid"}
    severity, params = found["c2pa_valid"]
    assert severity == Severity.INFO
    assert params["validation_state"] == "Valid" and params["trusted"] is False
    assert params["revocation_checked"] is False
    assert "EvidenceDesk Tests" in params["signer"]
    text = next(f for f in check.findings if f.code == "c2pa_valid")
    assert "revocation was not checked" in text.explanation_en and "吊销" in text.explanation_zh
    assert "untrusted" in text.explanation_en
    assert check.verdict != Verdict.EDITED


def test_edit_actions_are_named_with_the_tool(
    tmp_path: Path, signer_files: tuple[bytes, bytes]
) -> None:
    actions = [
        {"action": "c2pa.created", "digitalSourceType": CAPTURE},
        {"action": "c2pa.edited", "softwareAgent": {"name": "Photo Editor X", "version": "2"}},
        {"action": "c2pa.cropped", "softwareAgent": {"name": "Photo Editor X", "version": "2"}},
    ]
    check = check_file(_sign(tmp_path, signer_files, actions, "edit.jpg"))
    found = _c2pa(check)
    severity, params = found["c2pa_edit_actions"]
    assert severity == Severity.ALERT
    assert params["actions"] == ["c2pa.edited", "c2pa.cropped"]
    assert "Photo Editor X 2" in params["tools"]
    f = next(f for f in check.findings if f.code == "c2pa_edit_actions")
    assert "Photo Editor X 2" in f.title_en and "cropped" in f.title_en
    assert check.verdict == Verdict.EDITED


def test_resize_only_is_a_resave(tmp_path: Path, signer_files: tuple[bytes, bytes]) -> None:
    actions = [
        {"action": "c2pa.created", "digitalSourceType": CAPTURE},
        {"action": "c2pa.resized", "softwareAgent": {"name": "Shrinker"}},
    ]
    found = _c2pa(check_file(_sign(tmp_path, signer_files, actions, "resize.jpg")))
    assert found["c2pa_resave_actions"][0] == Severity.WARNING
    assert "c2pa_edit_actions" not in found


def test_ai_source_type_is_an_alert(tmp_path: Path, signer_files: tuple[bytes, bytes]) -> None:
    actions = [{"action": "c2pa.created", "digitalSourceType": AI}]
    check = check_file(_sign(tmp_path, signer_files, actions, "ai.jpg"))
    found = _c2pa(check)
    assert found["c2pa_ai_generated"][0] == Severity.ALERT
    assert found["c2pa_ai_generated"][1]["source_types"] == ["trainedAlgorithmicMedia"]
    assert check.verdict == Verdict.EDITED


def test_changed_after_signing_is_invalid(
    tmp_path: Path, signer_files: tuple[bytes, bytes]
) -> None:
    path = _sign(
        tmp_path, signer_files, [{"action": "c2pa.created", "digitalSourceType": CAPTURE}], "t.jpg"
    )
    data = bytearray(path.read_bytes())
    data[data.rfind(b"\xff\xd9") - 40] ^= 0xFF
    tampered = pf.write(tmp_path / "tampered.jpg", bytes(data))
    found = _c2pa(check_file(tampered))
    severity, params = found["c2pa_invalid"]
    assert severity == Severity.WARNING
    assert "assertion.dataHash.mismatch" in params["failures"]


def test_absence_is_never_counted(tmp_path: Path) -> None:
    path = pf.write(tmp_path / "none.jpg", pf.camera_jpeg(pf.camera_exif("Google", "Pixel 10")))
    assert _c2pa(check_file(path)) == {}


def test_trusted_wording() -> None:
    report = C2paReport(state="Trusted", signer="Google LLC / Pixel Camera")
    (f,) = report_findings(report)
    assert f.code == "c2pa_valid" and f.params["trusted"] is True
    assert "(Trusted)" in f.explanation_en


_REMOTE_XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'dcterms:provenance="http://192.0.2.1:80/manifest.c2pa"/></rdf:RDF></x:xmpmeta>'
)
_READ = """
import sys
from pathlib import Path
if sys.argv[2] == "app":
    from app.evidence.checks.provenance import RemoteOnly, read_c2pa
    try:
        read_c2pa(Path(sys.argv[1]))
    except RemoteOnly:
        print("remote-only")
else:
    import c2pa
    try:
        c2pa.Reader(sys.argv[1])
    except Exception as exc:
        print(type(exc).__name__)
"""


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_reading_never_connects(tmp_path: Path) -> None:
    """A file that points to an online manifest: our reader does not connect, the default does."""
    path = pf.write(tmp_path / "remote.jpg", pf.camera_jpeg(xmp=_REMOTE_XMP))
    script = pf.write(tmp_path / "read.py", _READ.encode())
    root = Path(__file__).resolve().parents[3]

    def connects(mode: str) -> tuple[list[str], str]:
        log = tmp_path / f"strace_{mode}.txt"
        run = subprocess.run(
            ["strace", "-f", "-e", "trace=connect", "-o", str(log),
             sys.executable, str(script), str(path), mode],
            cwd=root, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        if "Operation not permitted" in run.stderr and not log.exists():
            pytest.skip("strace cannot trace here")
        lines = [ln for ln in log.read_text().splitlines() if "connect(" in ln]
        return [ln for ln in lines if "AF_INET" in ln], run.stdout

    ours, out = connects("app")
    assert ours == [] and "remote-only" in out
    control, _ = connects("default")
    assert control, "control: c2pa-python's defaults should try to fetch the remote manifest"


def test_signed_video_is_read(tmp_path: Path, signer_files: tuple[bytes, bytes]) -> None:
    """C2PA in an MP4 (top-level uuid box): read offline like a photo's."""
    from tests.evidence.checks import phonevideos as pv

    chain, key = signer_files
    src = pv.android(tmp_path / "VID_src.mp4")
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(b"es256", chain, key, None))
    results = {}
    for name, actions in (
        ("VID_cap.mp4", [{"action": "c2pa.created", "digitalSourceType": CAPTURE}]),
        (
            "VID_cut.mp4",
            [
                {"action": "c2pa.created", "digitalSourceType": CAPTURE},
                {"action": "c2pa.edited", "softwareAgent": {"name": "Clip Trimmer"}},
            ],
        ),
    ):
        manifest = {
            "claim_generator_info": [{"name": "EvidenceDesk test signer", "version": "1.0"}],
            "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": actions}}],
        }
        with c2pa.Builder(json.dumps(manifest)) as builder:
            builder.sign_file(str(src), str(tmp_path / name), signer)
        results[name] = check_file(tmp_path / name)
    cap, cut = results["VID_cap.mp4"], results["VID_cut.mp4"]
    assert _c2pa(cap)["c2pa_valid"][0] == Severity.INFO
    assert cap.verdict == Verdict.CAMERA_ORIGINAL
    assert _c2pa(cut)["c2pa_edit_actions"][0] == Severity.ALERT
    assert "Clip Trimmer" in _c2pa(cut)["c2pa_edit_actions"][1]["tools"]
    assert cut.verdict == Verdict.EDITED
