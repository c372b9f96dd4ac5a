//! XSD regular expressions: the input up to its first NUL byte is the
//! pattern, the rest the text matched against it.
#![no_main]

use libfuzzer_sys::fuzz_target;

use rngcheck::internals::XsdRegex;

fuzz_target!(|data: &[u8]| {
    let Ok(data) = std::str::from_utf8(data) else {
        return;
    };
    let (pattern, text) = data.split_once('\0').unwrap_or((data, ""));
    if let Ok(re) = XsdRegex::new(pattern) {
        let _ = re.is_match(text);
        let _ = re.is_match(pattern);
    }
});
