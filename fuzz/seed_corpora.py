#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from ../shared and the repository's fixtures.

Run from fuzz/: python3 seed_corpora.py. The corpora are not committed.
"""
import glob
import hashlib
import os
import xml.etree.ElementTree as ET

SHARED = os.path.join("..", "..", "shared")


def write(target, data):
    data = data.encode() if isinstance(data, str) else data
    os.makedirs(os.path.join("corpus", target), exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join("corpus", target, name), "wb") as f:
        f.write(data)


def main():
    conformance = os.path.join(SHARED, "conformance")
    spec = ET.parse(os.path.join(conformance, "spectest.xml"))
    for tag in ("correct", "incorrect", "resource"):
        for e in spec.iter(tag):
            for child in e:
                write("schema_xml", ET.tostring(child, encoding="unicode"))
    for path in glob.glob(os.path.join(SHARED, "libvirt-9.0.0/src/conf/schemas/*.rng")):
        write("schema_xml", open(path, "rb").read())
    compact = ET.parse(os.path.join(conformance, "compacttest.xml"))
    for e in compact.iter("compact"):
        for child in e:
            if child.text:
                write("schema_compact", child.text)
    for path in glob.glob(os.path.join(SHARED, "libvirt-9.0.0/rnc/*.rnc")):
        write("schema_compact", open(path, "rb").read())
    regex = ET.parse(os.path.join(conformance, "regextest.xml"))
    for case in regex.iter("testCase"):
        patterns = [e.text or "" for e in case if e.tag in ("correct", "incorrect")]
        strings = [e.text or "" for e in case if e.tag in ("valid", "invalid")]
        for p in patterns:
            write("xsd_regex", p + ("\0" + strings[0] if strings else ""))
    for path in glob.glob("../fixtures/domain/*.xml"):
        write("validate_domain", open(path, "rb").read())
    domains = sorted(glob.glob(os.path.join(SHARED, "libvirt-9.0.0/tests/qemuxml2argvdata/*.xml")))
    for path in domains[::8]:
        write("validate_domain", open(path, "rb").read())


if __name__ == "__main__":
    main()
