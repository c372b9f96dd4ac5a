//! An XML entity's bytes to text: the encoding is found from a byte-order
//! mark or the XML declaration (XML 1.0 §4.3.3 and appendix F) and decoded
//! with `encoding_rs`, which knows every encoding of the WHATWG Encoding
//! Standard. Both the whole-file readers (schemas, documents as trees) and
//! the streaming reader start here.
//!
//! Errors carry positions in the text decoded so far (with replacement
//! characters past a bad sequence), so they are reported as `file:line:col`
//! like every other error.

use std::ops::Range;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use crate::diagnostic::DocError;
use crate::source::SourceFile;

/// The declaration's encoding name is looked for in this many bytes.
const DECLARATION_WINDOW: usize = 256;

/// How an entity's bytes are to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Charset {
    /// UTF-8 (also what an entity with neither mark nor declaration is).
    Utf8,
    /// US-ASCII: UTF-8 restricted to its first 128 code points.
    Ascii,
    /// ISO-8859-1 proper: each byte is the code point of the same value (the
    /// WHATWG standard maps this label to windows-1252, which reads 0x80 to
    /// 0x9F differently from the XML parsers rngcheck is compared with).
    Latin1,
    /// Any other encoding of the WHATWG standard.
    Other(&'static Encoding),
}

impl Charset {
    fn name(self) -> &'static str {
        match self {
            Charset::Utf8 => "UTF-8",
            Charset::Ascii => "US-ASCII",
            Charset::Latin1 => "ISO-8859-1",
            Charset::Other(e) => e.name(),
        }
    }
}

/// What the head of an entity says about its encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sniffed {
    /// The encoding of the rest.
    pub charset: Charset,
    /// Bytes of byte-order mark to skip.
    pub bom: usize,
}

/// Bytes that cannot be read as text: an encoding rngcheck does not know,
/// or a sequence invalid in the entity's encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// What is wrong, in a few words.
    pub message: String,
    /// The text as far as it can be read (bad sequences replaced by U+FFFD),
    /// for showing the place.
    pub text: String,
    /// What the error is about, in `text`.
    pub span: Range<usize>,
    /// Where it is reported, in `text` (as a streaming parser notices it).
    pub at: usize,
}

impl DecodeError {
    /// 1-based line and column (in characters) of `at`.
    pub fn line_col(&self) -> (u32, u32) {
        let lc = SourceFile::detached(&self.text).line_col(self.at);
        (lc.line, lc.column)
    }

    /// The document error it is: not well-formed (XML 1.0 §4.3.3), at the
    /// bad bytes, with its line and column (the streaming validator keeps
    /// no text to count them in).
    pub fn doc_error(&self) -> DocError {
        let mut error =
            DocError::not_well_formed(&self.message, self.span.clone()).reported_at(self.at);
        error.line_col = Some(self.line_col());
        error
    }

    /// The message with its line and column, for reports that cannot point
    /// into the file itself (a file named by an include).
    pub fn located_message(&self) -> String {
        let (line, column) = self.line_col();
        format!("{} at line {line}, column {column}", self.message)
    }
}

/// Finds the encoding from the first bytes of an entity (a byte-order mark,
/// else the XML declaration), given at least the first
/// [`DECLARATION_WINDOW`] bytes when the entity is that long.
pub fn sniff(head: &[u8]) -> Result<Sniffed, DecodeError> {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok(sniffed(Charset::Utf8, 3));
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return Ok(sniffed(Charset::Other(UTF_16LE), 2));
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Ok(sniffed(Charset::Other(UTF_16BE), 2));
    }
    // UTF-16 without a mark, recognized by `<?` (appendix F).
    if head.starts_with(&[b'<', 0, b'?', 0]) {
        return Ok(sniffed(Charset::Other(UTF_16LE), 0));
    }
    if head.starts_with(&[0, b'<', 0, b'?']) {
        return Ok(sniffed(Charset::Other(UTF_16BE), 0));
    }
    let Some(declared) = declared_encoding(head) else {
        return Ok(sniffed(Charset::Utf8, 0));
    };
    let label = &head[declared.name.clone()];
    match charset_for_label(label) {
        Some(Charset::Other(e)) if e == UTF_16LE || e == UTF_16BE => Err(declaration_error(
            head,
            &declared,
            "declares UTF-16 but is written in an ASCII-compatible encoding with no byte-order mark",
        )),
        Some(charset) => Ok(sniffed(charset, 0)),
        None => {
            let name = String::from_utf8_lossy(label);
            Err(declaration_error(
                head,
                &declared,
                &format!("unknown encoding \"{name}\" (rngcheck reads the encodings of the WHATWG Encoding Standard)"),
            ))
        }
    }
}

fn sniffed(charset: Charset, bom: usize) -> Sniffed {
    Sniffed { charset, bom }
}

/// The charset an encoding label names; `None` for labels the WHATWG
/// standard does not know and for those it maps to its "replacement"
/// encoding (which reads nothing).
fn charset_for_label(label: &[u8]) -> Option<Charset> {
    let lower = label.to_ascii_lowercase();
    match lower.as_slice() {
        b"utf-8" | b"utf8" => return Some(Charset::Utf8),
        b"us-ascii" | b"ascii" => return Some(Charset::Ascii),
        b"iso-8859-1" | b"iso8859-1" | b"iso_8859-1" | b"latin1" | b"latin-1" | b"l1"
        | b"iso-ir-100" | b"cp819" | b"ibm819" | b"csisolatin1" => return Some(Charset::Latin1),
        _ => {}
    }
    let encoding = Encoding::for_label_no_replacement(&lower)?;
    Some(if encoding == UTF_8 {
        Charset::Utf8
    } else {
        Charset::Other(encoding)
    })
}

/// Where the declaration's encoding name is, and where the declaration ends.
struct Declared {
    name: Range<usize>,
    end: usize,
}

/// The `encoding` pseudo-attribute of an XML declaration at the start of
/// `head`, as [`crate::xml::xml_declaration`] reads it.
fn declared_encoding(head: &[u8]) -> Option<Declared> {
    let head = &head[..head.len().min(DECLARATION_WINDOW)];
    let declaration = crate::xml::xml_declaration(head)?;
    Some(Declared {
        name: declaration.get(b"encoding")?,
        end: declaration.end,
    })
}

/// An error about the declared encoding: about the name, reported at the
/// end of the declaration (where an XML parser has read it).
fn declaration_error(head: &[u8], declared: &Declared, message: &str) -> DecodeError {
    DecodeError {
        message: message.to_string(),
        text: String::from_utf8_lossy(&head[..declared.end]).into_owned(),
        span: declared.name.clone(),
        at: declared.end,
    }
}

/// Decodes a whole entity. Plain UTF-8 (no byte-order mark, no other
/// encoding declared), nearly every file, becomes the `String` without a
/// copy.
pub fn decode(bytes: Vec<u8>) -> Result<String, DecodeError> {
    let sniffed = sniff(&bytes)?;
    if sniffed == sniffed_plain() {
        return String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            malformed(Charset::Utf8, &e.into_bytes(), at)
        });
    }
    decode_slice(&bytes[sniffed.bom..], sniffed.charset)
}

fn sniffed_plain() -> Sniffed {
    sniffed(Charset::Utf8, 0)
}

/// Decodes bytes (past any byte-order mark) in `charset`.
pub fn decode_slice(bytes: &[u8], charset: Charset) -> Result<String, DecodeError> {
    match charset {
        Charset::Utf8 => match std::str::from_utf8(bytes) {
            Ok(text) => Ok(text.to_string()),
            Err(e) => Err(malformed(charset, bytes, e.valid_up_to())),
        },
        Charset::Ascii => match bytes.iter().position(|b| !b.is_ascii()) {
            None => Ok(String::from_utf8_lossy(bytes).into_owned()),
            Some(at) => Err(malformed(charset, bytes, at)),
        },
        Charset::Latin1 => Ok(encoding_rs::mem::decode_latin1(bytes).into_owned()),
        Charset::Other(encoding) => decode_other(bytes, encoding),
    }
}

/// The first bytes of an entity as text, for a look at its prolog (the
/// root element's name): decoded in the entity's encoding, with what cannot
/// be decoded, a sequence cut off at the end included, replaced by U+FFFD.
/// An encoding that cannot be found leaves the bytes read as UTF-8.
pub fn decode_head(head: &[u8]) -> String {
    let sniffed = sniff(head).unwrap_or_else(|_| sniffed_plain());
    let bytes = &head[sniffed.bom..];
    match sniffed.charset {
        Charset::Utf8 | Charset::Ascii => String::from_utf8_lossy(bytes).into_owned(),
        Charset::Latin1 => encoding_rs::mem::decode_latin1(bytes).into_owned(),
        Charset::Other(encoding) => encoding.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

fn decode_other(bytes: &[u8], encoding: &'static Encoding) -> Result<String, DecodeError> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len()),
    );
    let (result, _) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(text),
        // The buffer was sized for the worst case, so only a malformed
        // sequence stops the decoder; `text` holds what came before it.
        _ => {
            let at = text.len();
            let (lossy, _) = encoding.decode_without_bom_handling(bytes);
            Err(bad_sequence(
                format!("bytes that are not valid {}", encoding.name()),
                lossy.into_owned(),
                at,
            ))
        }
    }
}

/// The error for a sequence invalid in `charset` (UTF-8 or ASCII) at byte
/// `at` (the text before it is valid, so it is the same offset in the text).
fn malformed(charset: Charset, bytes: &[u8], at: usize) -> DecodeError {
    let byte = bytes.get(at).copied().unwrap_or(0);
    bad_sequence(
        format!("invalid {} (byte 0x{byte:02X})", charset.name()),
        String::from_utf8_lossy(bytes).into_owned(),
        at,
    )
}

/// The error for a bad sequence at `at` in `text`, where it was replaced by
/// one character (the span covers it).
fn bad_sequence(message: String, text: String, at: usize) -> DecodeError {
    let len = text
        .get(at..)
        .and_then(|t| t.chars().next())
        .map_or(0, char::len_utf8);
    DecodeError {
        message,
        span: at..at + len,
        text,
        at,
    }
}

/// A byte stream read as UTF-8 text, for the streaming validator: the
/// encoding is sniffed from the first bytes, other encodings are decoded
/// chunk by chunk, and UTF-8 is checked in place (only the up to three
/// bytes of a sequence split between reads are carried over). A byte-order
/// mark is dropped, so offsets in the output are offsets in the text, as in
/// a whole-file [`decode`].
///
/// A bad sequence ends the stream with an [`std::io::Error`] whose inner
/// error is a [`StreamDecodeError`] giving its offset in the output.
pub struct DecodingReader<R> {
    inner: R,
    charset: Charset,
    decoder: Option<encoding_rs::Decoder>,
    /// Raw bytes read but not yet decoded: `raw[pos..]`.
    raw: Vec<u8>,
    pos: usize,
    eof: bool,
    /// Bytes given out so far (the offset of the next one).
    delivered: u64,
    /// An error found after the bytes already given out.
    failed: Option<String>,
    /// Bytes at the start of `raw[pos..]` known to be valid (UTF-8, ASCII).
    validated: usize,
    /// The decoder has had its last input.
    finished: bool,
}

/// A bad sequence in a stream: what, and its offset in the decoded text.
#[derive(Debug)]
pub struct StreamDecodeError {
    /// What is wrong.
    pub message: String,
    /// Offset of the first byte not given out.
    pub offset: u64,
}

impl std::fmt::Display for StreamDecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StreamDecodeError {}

/// Raw bytes are read this many at a time when they are decoded.
const RAW_CHUNK: usize = 64 * 1024;

impl<R: std::io::Read> DecodingReader<R> {
    /// Reads the head of `inner` and sniffs its encoding. An I/O error is
    /// returned as is; an unknown encoding as a [`DecodeError`].
    pub fn new(mut inner: R) -> std::io::Result<Result<DecodingReader<R>, DecodeError>> {
        let mut raw = vec![0; DECLARATION_WINDOW];
        let mut len = 0;
        while len < raw.len() {
            match inner.read(&mut raw[len..]) {
                Ok(0) => break,
                Ok(n) => len += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        raw.truncate(len);
        let eof = len < DECLARATION_WINDOW;
        let sniffed = match sniff(&raw) {
            Ok(sniffed) => sniffed,
            Err(e) => return Ok(Err(e)),
        };
        let decoder = match sniffed.charset {
            Charset::Other(encoding) => Some(encoding.new_decoder_without_bom_handling()),
            _ => None,
        };
        Ok(Ok(DecodingReader {
            inner,
            charset: sniffed.charset,
            decoder,
            raw,
            pos: sniffed.bom,
            eof,
            delivered: 0,
            failed: None,
            validated: 0,
            finished: false,
        }))
    }

    fn fail(&self, message: String) -> std::io::Error {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            StreamDecodeError {
                message,
                offset: self.delivered,
            },
        )
    }

    /// Moves undecoded bytes to the front and reads more after them.
    fn refill(&mut self, want: usize) -> std::io::Result<()> {
        self.raw.drain(..self.pos);
        self.pos = 0;
        let have = self.raw.len();
        self.raw.resize(have + want, 0);
        let n = loop {
            match self.inner.read(&mut self.raw[have..]) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                other => break other,
            }
        };
        let n = n.inspect_err(|_| self.raw.truncate(have))?;
        self.raw.truncate(have + n);
        self.eof |= n == 0;
        Ok(())
    }

    /// UTF-8 or ASCII: the longest valid prefix of the raw bytes, given out
    /// as they are.
    fn read_checked(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.validated == 0 {
                let pending = &self.raw[self.pos..];
                if pending.is_empty() && !self.eof && buf.len() >= RAW_CHUNK {
                    return self.read_checked_in_place(buf);
                }
                if pending.is_empty() && self.eof {
                    return Ok(0);
                }
                let (valid, bad) = self.check(pending);
                if valid == 0 {
                    if let Some(message) = bad {
                        return Err(self.fail(message));
                    }
                    if self.eof {
                        let message =
                            format!("invalid {} (truncated sequence)", self.charset.name());
                        return Err(self.fail(message));
                    }
                    // A sequence split between reads.
                    self.refill(RAW_CHUNK)?;
                    continue;
                }
                self.validated = valid;
            }
            let n = self.validated.min(buf.len());
            buf[..n].copy_from_slice(&self.raw[self.pos..self.pos + n]);
            self.pos += n;
            self.validated -= n;
            return Ok(n);
        }
    }

    /// The common case: reads straight into the caller's buffer (no copy)
    /// and checks the bytes there. What follows the valid prefix (a
    /// sequence split by the read, or a bad one) is kept for the next read.
    fn read_checked_in_place(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = loop {
            match self.inner.read(buf) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                other => break other?,
            }
        };
        if n == 0 {
            self.eof = true;
            return Ok(0);
        }
        let (valid, bad) = self.check(&buf[..n]);
        self.raw.clear();
        self.raw.extend_from_slice(&buf[valid..n]);
        self.pos = 0;
        match bad {
            Some(message) if valid == 0 => Err(self.fail(message)),
            // Nothing whole yet: the caller's next read gets it.
            _ if valid == 0 => self.read_checked(buf),
            _ => Ok(valid),
        }
    }

    /// How many leading bytes of `bytes` are valid, and the error if a bad
    /// sequence (not merely an incomplete one at the end) follows them.
    fn check(&self, bytes: &[u8]) -> (usize, Option<String>) {
        let (valid, bad) = match self.charset {
            Charset::Ascii => match bytes.iter().position(|b| !b.is_ascii()) {
                Some(at) => (at, true),
                None => (bytes.len(), false),
            },
            _ => match std::str::from_utf8(bytes) {
                Ok(_) => (bytes.len(), false),
                Err(e) => (e.valid_up_to(), e.error_len().is_some()),
            },
        };
        let message = bad.then(|| {
            let byte = bytes.get(valid).copied().unwrap_or(0);
            format!("invalid {} (byte 0x{byte:02X})", self.charset.name())
        });
        (valid, message)
    }

    /// Any other encoding: decoded into the caller's buffer.
    fn read_decoded(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.finished {
                return Ok(0);
            }
            if self.pos == self.raw.len() && !self.eof {
                self.refill(RAW_CHUNK)?;
            }
            let src = &self.raw[self.pos..];
            let (read, written, result) = match (self.charset, self.decoder.as_mut()) {
                (Charset::Latin1, _) => {
                    let (read, written) =
                        encoding_rs::mem::convert_latin1_to_utf8_partial(src, buf);
                    let result = if read == src.len() {
                        encoding_rs::DecoderResult::InputEmpty
                    } else {
                        encoding_rs::DecoderResult::OutputFull
                    };
                    (read, written, result)
                }
                (_, Some(decoder)) => {
                    let (result, read, written) =
                        decoder.decode_to_utf8_without_replacement(src, buf, self.eof);
                    (read, written, result)
                }
                (_, None) => return Ok(0),
            };
            self.pos += read;
            let finished = self.eof && result == encoding_rs::DecoderResult::InputEmpty;
            if matches!(result, encoding_rs::DecoderResult::Malformed(..)) {
                let name = self.charset.name();
                let message = format!("bytes that are not valid {name}");
                if written == 0 {
                    return Err(self.fail(message));
                }
                self.failed = Some(message);
            }
            if finished {
                // The decoder has had its last input; the next read is the end.
                self.finished = true;
            }
            if written > 0 || finished {
                return Ok(written);
            }
            if read == 0 && self.pos < self.raw.len() {
                // The decoder took nothing: the caller's buffer cannot hold
                // one character (`BufReader`'s never is that small).
                return Err(std::io::Error::other(
                    "read buffer too small to decode into",
                ));
            }
        }
    }
}

impl<R: std::io::Read> std::io::Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(message) = self.failed.take() {
            return Err(self.fail(message));
        }
        let n = match self.charset {
            Charset::Utf8 | Charset::Ascii => self.read_checked(buf)?,
            _ => self.read_decoded(buf)?,
        };
        self.delivered += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_byte_order_marks() {
        assert_eq!(decode(b"\xEF\xBB\xBF<a/>".to_vec()).unwrap(), "<a/>");
        assert_eq!(decode(b"\xFF\xFE<\0a\0/\0>\0".to_vec()).unwrap(), "<a/>");
        assert_eq!(decode(b"\xFE\xFF\0<\0a\0/\0>".to_vec()).unwrap(), "<a/>");
        assert_eq!(
            decode(b"<\0?\0x\0m\0l\0?\0>\0".to_vec()).unwrap(),
            "<?xml?>"
        );
    }

    #[test]
    fn plain_utf8_is_not_copied() {
        let bytes = b"<a>caf\xC3\xA9</a>".to_vec();
        let address = bytes.as_ptr();
        let text = decode(bytes).unwrap();
        assert_eq!(text.as_ptr(), address);
    }

    #[test]
    fn decodes_declared_encodings() {
        let cases: &[(&str, &[u8], &str)] = &[
            ("windows-1252", b"caf\xE9 \x80", "café €"),
            ("ISO-8859-1", b"caf\xE9 \x80", "café \u{80}"),
            ("ISO-8859-2", b"\xB1", "ą"),
            ("ISO-8859-15", b"\xA4", "€"),
            ("KOI8-R", b"\xC1", "а"),
            ("Shift_JIS", b"\x82\xA0", "あ"),
            ("EUC-JP", b"\xA4\xA2", "あ"),
            ("GB2312", b"\xC4\xE3", "你"),
            ("Big5", b"\xA4\xA4", "中"),
            ("EUC-KR", b"\xB0\xA1", "가"),
        ];
        for (name, body, expected) in cases {
            let mut bytes = format!("<?xml version='1.0' encoding='{name}'?><a>").into_bytes();
            bytes.extend_from_slice(body);
            bytes.extend_from_slice(b"</a>");
            let text = decode(bytes).unwrap_or_else(|e| panic!("{name}: {}", e.message));
            assert!(
                text.contains(&format!("<a>{expected}</a>")),
                "{name}: {text}"
            );
        }
    }

    #[test]
    fn unknown_encodings_are_errors_at_the_declaration() {
        let e = decode(b"<?xml version='1.0' encoding='EBCDIC'?>\n<a/>".to_vec()).unwrap_err();
        assert!(e.message.contains("\"EBCDIC\""), "{}", e.message);
        assert_eq!(&e.text[e.span.clone()], "EBCDIC");
        assert_eq!(e.line_col(), (1, 40));
        // A processing instruction is not the declaration.
        let pi = b"<?xml-stylesheet href='a' encoding='bogus'?><a/>".to_vec();
        assert!(decode(pi).is_ok());
        // The WHATWG "replacement" labels read nothing: refused too.
        assert!(decode(b"<?xml version='1.0' encoding='ISO-2022-KR'?><a/>".to_vec()).is_err());
    }

    #[test]
    fn invalid_sequences_are_located() {
        let e = decode(b"<?xml version=\"1.0\"?>\n<doc>\n\n\nabcdefghijklmno\xFFp</doc>".to_vec())
            .unwrap_err();
        assert_eq!(e.line_col(), (5, 16));
        assert!(e.message.contains("UTF-8"), "{}", e.message);
        let e = decode(b"<?xml version='1.0' encoding='Shift_JIS'?>\n<a>\x82\xA0\x82</a>".to_vec())
            .unwrap_err();
        assert_eq!(e.line_col(), (2, 5));
        assert!(e.message.contains("Shift_JIS"), "{}", e.message);
        let e =
            decode(b"<?xml version='1.0' encoding='US-ASCII'?>\n<a>\xE9</a>".to_vec()).unwrap_err();
        assert_eq!(e.line_col(), (2, 4));
        let e = decode(b"<?xml version='1.0' encoding='UTF-16'?><a/>".to_vec()).unwrap_err();
        assert!(e.message.contains("UTF-16"), "{}", e.message);
    }

    /// Gives out at most `step` bytes a read, so sequences split.
    struct Trickle<'b> {
        bytes: &'b [u8],
        step: usize,
    }

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    /// Streams `bytes` (read `step` at a time, into buffers of `buf` bytes):
    /// the text, or the error's message and offset.
    fn stream(bytes: &[u8], step: usize, buf: usize) -> Result<String, (String, usize)> {
        use std::io::Read;
        let mut reader = match DecodingReader::new(Trickle { bytes, step }).unwrap() {
            Ok(reader) => reader,
            Err(e) => return Err((e.message, e.at)),
        };
        let mut out = Vec::new();
        let mut chunk = vec![0; buf];
        loop {
            match reader.read(&mut chunk) {
                Ok(0) => return Ok(String::from_utf8(out).expect("UTF-8 out")),
                Ok(n) => out.extend_from_slice(&chunk[..n]),
                Err(e) => {
                    let inner = e
                        .get_ref()
                        .and_then(|e| e.downcast_ref::<StreamDecodeError>());
                    let inner = inner.expect("a decoding error");
                    assert_eq!(inner.offset as usize, out.len());
                    return Err((inner.message.clone(), out.len()));
                }
            }
        }
    }

    #[test]
    fn streaming_agrees_with_whole_file_decoding() {
        let long = "x".repeat(300);
        let docs: Vec<Vec<u8>> = vec![
            format!("<a>{long}caf\u{e9} \u{1F600}</a>").into_bytes(),
            b"\xEF\xBB\xBF<a>\xC3\xA9</a>".to_vec(),
            b"\xFF\xFE<\0a\0>\0\x3D\xD8\x00\xDE<\0/\0a\0>\0".to_vec(),
            format!("<?xml version='1.0' encoding='Shift_JIS'?><a>{long}\u{0}</a>")
                .replace('\u{0}', "\u{1}")
                .into_bytes()
                .into_iter()
                .flat_map(|b| if b == 1 { vec![0x82, 0xA0] } else { vec![b] })
                .collect(),
            format!("<?xml version='1.0' encoding='ISO-8859-1'?><a>{long}\u{e9}</a>")
                .into_bytes()
                .into_iter()
                .flat_map(|b| {
                    if b == 0xC3 {
                        vec![]
                    } else if b == 0xA9 {
                        vec![0xE9]
                    } else {
                        vec![b]
                    }
                })
                .collect(),
            format!("<a>{long}\n\n\u{e9}")
                .into_bytes()
                .into_iter()
                .chain(*b"\xFF</a>")
                .collect(),
            format!("<?xml version='1.0' encoding='EUC-JP'?><a>{long}")
                .into_bytes()
                .into_iter()
                .chain(*b"\xA4</a>")
                .collect(),
            format!("<?xml version='1.0' encoding='US-ASCII'?><a>{long}")
                .into_bytes()
                .into_iter()
                .chain(*b"\xE9</a>")
                .collect(),
            b"<?xml version='1.0' encoding='x-unknown'?><a/>".to_vec(),
            b"<a>\xC3".to_vec(),
        ];
        for doc in &docs {
            let whole = decode(doc.clone()).map_err(|e| (e.message, e.at));
            for (step, buf) in [
                (1, 4),
                (3, 7),
                (7, 64),
                (4096, RAW_CHUNK),
                (1 << 20, 1 << 17),
            ] {
                let streamed = stream(doc, step, buf);
                match (&whole, &streamed) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b),
                    (Err((_, a)), Err((_, b))) => {
                        assert_eq!(a, b, "{:?}", String::from_utf8_lossy(doc))
                    }
                    _ => panic!("{whole:?} vs {streamed:?} (step {step}, buffer {buf})"),
                }
            }
        }
    }
}
