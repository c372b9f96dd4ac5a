//! Binary data: XSD-2 §3.2.15 hexBinary and §3.2.16 base64Binary. Values
//! are the decoded octets, so `0a` equals `0A` and base64 compares by bytes.

/// hexBinary: an even number of hex digits, nothing else.
pub fn parse_hex(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes
        .chunks(2)
        .map(|pair| Some(hex_digit(pair[0])? * 16 + hex_digit(pair[1])?))
        .collect()
}

fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn base64_digit(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// base64Binary (XSD-2 §3.2.16, the 2nd edition grammar): groups of four
/// base64 characters, single spaces allowed between characters (the caller
/// has collapsed whitespace), `=` padding only at the end, and the last
/// character before padding must leave the unused bits zero.
pub fn parse_base64(text: &str) -> Option<Vec<u8>> {
    let chars: Vec<u8> = text.bytes().filter(|&b| b != b' ').collect();
    if !chars.len().is_multiple_of(4) {
        return None;
    }
    let padding = chars.iter().rev().take_while(|&&b| b == b'=').count();
    if padding > 2 || chars[..chars.len() - padding].contains(&b'=') {
        return None;
    }
    let mut values = Vec::with_capacity(chars.len());
    for &b in &chars[..chars.len() - padding] {
        values.push(base64_digit(b)?);
    }
    // With one "=", the last digit carries 2 unused bits; with two, 4.
    if let Some(&last) = values.last() {
        let unused_mask = match padding {
            1 => 0b11,
            2 => 0b1111,
            _ => 0,
        };
        if last & unused_mask != 0 {
            return None;
        }
    }
    let mut out = Vec::with_capacity(values.len() * 3 / 4);
    for group in values.chunks(4) {
        let mut acc: u32 = 0;
        for &v in group {
            acc = (acc << 6) | u32::from(v);
        }
        // A short final group holds 2 or 3 digits: 1 or 2 octets.
        match group.len() {
            4 => out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]),
            3 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
            2 => out.push((acc >> 4) as u8),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::check_rows;
    use super::*;

    #[test]
    fn hex() {
        let rows: &[(&str, Option<&[u8]>)] = &[
            ("deadbeef", Some(&[0xde, 0xad, 0xbe, 0xef])),
            ("", Some(&[])),
            ("0a", Some(&[10])),
            ("0A", Some(&[10])),
            (
                "0123456789ABCDEFabcdef",
                Some(&[
                    1, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xab, 0xcd, 0xef,
                ]),
            ),
            ("00 00", None),
            ("00.00", None),
            ("0G", None),
            ("000", None),
        ];
        for &(text, want) in rows {
            assert_eq!(parse_hex(text).as_deref(), want, "{text:?}");
        }
    }

    #[test]
    fn base64() {
        let rows: &[(&str, bool)] = &[
            ("AAAA", true),
            (
                "abcd efgh ijkl mnop qrst uvwx yzAB CDEF GHIJ KLMN OPQR STUV WXYZ 0123 4567 89+/",
                true,
            ),
            ("BA==", true),
            ("", true),
            ("BQ==", true),
            ("BBA=", true),
            ("BB8=", true),
            ("BA= =", true),
            ("====", false),
            ("BB==", false),
            ("BBB=", false),
            ("B===", false),
            ("B", false),
            ("BA==AAAA", false),
            ("AA*A", false),
        ];
        check_rows(rows, |text| parse_base64(text).is_some());
        assert_eq!(parse_base64("deadbeef").map(|v| v.len()), Some(6));
        assert_eq!(parse_base64("d e a d b e e f"), parse_base64("deadbeef"));
        assert_eq!(parse_base64("BA==").as_deref(), Some(&[4u8][..]));
        assert_eq!(parse_base64("deadBA==").map(|v| v.len()), Some(4));
    }
}
