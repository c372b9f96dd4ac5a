//! The jing-trang datatype suites, run against the datatype library
//! directly (no schema files, no documents):
//!
//! - `xsdtest.xml`: each `<datatype>` becomes the checks jing-trang's
//!   `xsdtest.xsl` would generate: one `<data>` schema plus its
//!   `<valid>`/`<invalid>` instances; one `<value>` schema per equivalence
//!   class (its other values must match, every other class's must not); three
//!   `length` schemas per `<length>`; two `minExclusive` schemas per
//!   `<lessThan>`/`<incomparable>`. A schema check passes when the datatype
//!   (or value) is accepted; an instance check when the verdict is right.
//! - `regextest.xml`, `hardtest.xml`: each regex becomes
//!   `<data type="string"><param name="pattern">`, which must be accepted
//!   (`<correct>`) or rejected (`<incorrect>`), with one check per string.
//!
//! The suites live in `../shared/conformance`, outside the repository. When
//! that is missing the run is skipped, unless `CI=true`, where it fails.
//! Prints a scoreboard per file and every failure; exits non-zero on any.

use std::path::Path;
use std::process::ExitCode;

#[path = "shared_data.rs"]
mod shared_data;

use rngcheck::internals::{Context, Datatype, Param, Value, XSD_LIBRARY};
use roxmltree::{Document, Node};

/// The namespace bindings in scope at a test element, plus the unparsed
/// entities its `internalSubset` declares.
struct TestContext {
    namespaces: Vec<(String, String)>,
    entities: Vec<String>,
}

impl Context for TestContext {
    fn resolve_prefix(&self, prefix: &str) -> Option<&str> {
        self.namespaces
            .iter()
            .find(|(p, _)| p == prefix)
            .map(|(_, uri)| uri.as_str())
    }

    fn is_unparsed_entity(&self, name: &str) -> bool {
        self.entities.iter().any(|e| e == name)
    }
}

impl TestContext {
    fn empty() -> TestContext {
        TestContext {
            namespaces: vec![(
                "xml".to_string(),
                "http://www.w3.org/XML/1998/namespace".to_string(),
            )],
            entities: Vec::new(),
        }
    }

    /// What `xsl:copy-of select="namespace::*"` and the `internalSubset`
    /// DOCTYPE give an instance in jing-trang's stylesheet.
    fn of(node: Node) -> TestContext {
        let mut ctx = TestContext::empty();
        for ns in node.namespaces() {
            ctx.namespaces
                .push((ns.name().unwrap_or("").to_string(), ns.uri().to_string()));
        }
        if let Some(subset) = node.attribute("internalSubset") {
            ctx.entities = unparsed_entities(subset);
        }
        ctx
    }
}

/// Names declared by `<!ENTITY name ... NDATA type>` in a DTD fragment
/// (enough of DTD syntax for the suite).
fn unparsed_entities(subset: &str) -> Vec<String> {
    subset
        .split("<!ENTITY")
        .skip(1)
        .filter_map(|decl| {
            let decl = decl.split('>').next().unwrap_or("");
            let mut words = decl.split_whitespace();
            let name = words.next()?;
            decl.contains("NDATA").then(|| name.to_string())
        })
        .collect()
}

/// The XPath string value of an element.
fn string_value(node: Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

fn children<'a, 'input>(
    node: Node<'a, 'input>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'input>> {
    node.children()
        .filter(move |n| n.is_element() && n.tag_name().name() == name)
}

/// Results for one suite file.
struct Score {
    name: &'static str,
    checks: usize,
    failures: Vec<String>,
}

impl Score {
    fn new(name: &'static str) -> Score {
        Score {
            name,
            checks: 0,
            failures: Vec::new(),
        }
    }

    fn record(&mut self, ok: bool, what: impl FnOnce() -> String) {
        self.checks += 1;
        if !ok {
            self.failures.push(what());
        }
    }
}

fn param(name: &str, value: &str) -> Param {
    Param {
        name: name.to_string(),
        value: value.to_string(),
    }
}

/// One `<data>` test case: the schema check, then each instance.
fn data_case(
    score: &mut Score,
    label: &str,
    type_name: &str,
    params: &[Param],
    instances: &[(bool, String, TestContext)],
) {
    let datatype = Datatype::lookup(XSD_LIBRARY, type_name, params);
    score.record(datatype.is_ok(), || {
        format!(
            "{label}: schema rejected: {}",
            datatype
                .as_ref()
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        )
    });
    for (valid, text, ctx) in instances {
        let verdict = datatype.as_ref().ok().map(|dt| dt.check(text, ctx));
        let ok = match &verdict {
            Some(result) => result.is_ok() == *valid,
            None => false,
        };
        score.record(ok, || {
            let why = match &verdict {
                Some(Err(e)) => format!(" ({e})"),
                _ => String::new(),
            };
            let expected = if *valid { "valid" } else { "invalid" };
            format!("{label}: {text:?} should be {expected}{why}")
        });
    }
}

fn run_xsdtest(path: &Path) -> Result<Score, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let doc = Document::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut score = Score::new("xsdtest");
    for datatype in children(doc.root_element(), "datatype") {
        let name = datatype.attribute("name").unwrap_or("");
        let params: Vec<Param> = children(datatype, "param")
            .map(|p| param(p.attribute("name").unwrap_or(""), &string_value(p)))
            .collect();
        let instances: Vec<(bool, String, TestContext)> = datatype
            .children()
            .filter(|n| n.is_element() && matches!(n.tag_name().name(), "valid" | "invalid"))
            .map(|n| {
                (
                    n.tag_name().name() == "valid",
                    string_value(n),
                    TestContext::of(n),
                )
            })
            .collect();
        data_case(&mut score, name, name, &params, &instances);

        for equiv in children(datatype, "equiv") {
            let classes: Vec<Vec<Node>> = children(equiv, "class")
                .map(|c| children(c, "value").collect())
                .collect();
            for index in 0..classes.len() {
                let label = format!("{name} equivalence class {}", index + 1);
                equiv_case(&mut score, &label, name, index, &classes);
            }
        }

        for length in children(datatype, "length") {
            let n: i64 = length
                .attribute("value")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let text = string_value(length);
            let mut variants = vec![(n, true), (n + 1, false)];
            if n != 0 {
                variants.push((n - 1, false));
            }
            for (value, valid) in variants {
                let label = format!("{name} length={value}");
                let instance = vec![(valid, text.clone(), TestContext::of(length))];
                data_case(
                    &mut score,
                    &label,
                    name,
                    &[param("length", &value.to_string())],
                    &instance,
                );
            }
        }

        for relation in datatype.children().filter(|n| {
            n.is_element() && matches!(n.tag_name().name(), "lessThan" | "incomparable")
        }) {
            let values: Vec<String> = children(relation, "value").map(string_value).collect();
            let (Some(first), Some(second)) = (values.first(), values.get(1)) else {
                return Err(format!(
                    "{name}: a {} without two values",
                    relation.tag_name().name()
                ));
            };
            let less = relation.tag_name().name() == "lessThan";
            let label = format!("{name} {} {first} {second}", relation.tag_name().name());
            data_case(
                &mut score,
                &format!("{label} (minExclusive {first})"),
                name,
                &[param("minExclusive", first)],
                &[
                    (less, second.clone(), TestContext::empty()),
                    (false, first.clone(), TestContext::empty()),
                ],
            );
            data_case(
                &mut score,
                &format!("{label} (minExclusive {second})"),
                name,
                &[param("minExclusive", second)],
                &[
                    (false, first.clone(), TestContext::empty()),
                    (false, second.clone(), TestContext::empty()),
                ],
            );
        }
    }
    Ok(score)
}

/// A `<value>` schema made from the class's first value: the class's other
/// values must equal it, and every value of every other class must not.
fn equiv_case(
    score: &mut Score,
    label: &str,
    type_name: &str,
    index: usize,
    classes: &[Vec<Node>],
) {
    let Some(first) = classes[index].first() else {
        return;
    };
    let expected: Option<Value> =
        Datatype::lookup(XSD_LIBRARY, type_name, &[])
            .ok()
            .and_then(|dt| {
                dt.parse_value(&string_value(*first), &TestContext::of(*first))
                    .ok()
            });
    score.record(expected.is_some(), || {
        format!("{label}: schema rejected: value {:?}", string_value(*first))
    });
    let datatype = Datatype::lookup(XSD_LIBRARY, type_name, &[]).ok();
    for (other_index, class) in classes.iter().enumerate() {
        let members = if other_index == index {
            &class[1..]
        } else {
            &class[..]
        };
        for value in members {
            let text = string_value(*value);
            let actual = datatype
                .as_ref()
                .and_then(|dt| dt.parse_value(&text, &TestContext::of(*value)).ok());
            let matches = expected.is_some() && actual.is_some() && actual == expected;
            let should_match = other_index == index;
            score.record(expected.is_some() && matches == should_match, || {
                let verb = if should_match { "should" } else { "should not" };
                format!("{label}: {text:?} {verb} equal {:?}", string_value(*first))
            });
        }
    }
}

fn run_regex_suite(name: &'static str, path: &Path) -> Result<Score, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let doc = Document::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut score = Score::new(name);
    for case in doc.descendants().filter(|n| n.has_tag_name("testCase")) {
        let Some(regex_node) = case
            .children()
            .find(|n| n.is_element() && matches!(n.tag_name().name(), "correct" | "incorrect"))
        else {
            continue;
        };
        let regex = string_value(regex_node);
        let correct = regex_node.tag_name().name() == "correct";
        let datatype = Datatype::lookup(XSD_LIBRARY, "string", &[param("pattern", &regex)]);
        score.record(datatype.is_ok() == correct, || match &datatype {
            Ok(_) => format!("regex {regex:?} should be rejected"),
            Err(e) => format!("regex {regex:?} should be accepted ({e})"),
        });
        for instance in case
            .children()
            .filter(|n| n.is_element() && matches!(n.tag_name().name(), "valid" | "invalid"))
        {
            let valid = instance.tag_name().name() == "valid";
            let text = string_value(instance);
            let ok = datatype
                .as_ref()
                .is_ok_and(|dt| dt.check(&text, &TestContext::empty()).is_ok() == valid);
            score.record(ok, || {
                let expected = if valid { "match" } else { "not match" };
                format!("regex {regex:?}: {text:?} should {expected}")
            });
        }
    }
    Ok(score)
}

fn main() -> ExitCode {
    let conformance = match shared_data::require("xsd_conformance", "conformance") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let runs = [
        run_xsdtest(&conformance.join("xsdtest.xml")),
        run_regex_suite("regextest", &conformance.join("regextest.xml")),
        run_regex_suite("hardtest", &conformance.join("hardtest.xml")),
    ];
    shared_data::finish(runs.into_iter().map(|run| {
        run.map(|score| {
            let passed = score.checks - score.failures.len();
            println!("{}: {passed}/{} checks", score.name, score.checks);
            score.failures
        })
    }))
}
