//! Tests of `report`.
use super::*;
use std::path::PathBuf;

#[test]
fn broken_input_exits_1_and_everything_else_2() {
    let invalid = Error::from(LoadError::Invalid(vec![Diagnostic::error(
        Code::YamlSyntax,
        "a.yaml",
        "bad",
    )]));
    let template = Error::from(RenderError::Template("x".to_owned()));
    let no_site = Error::from(LoadError::NoSite(PathBuf::from("site")));
    assert_eq!(exit_code(Failure::Build(&invalid)), 1);
    assert_eq!(exit_code(Failure::Build(&template)), 1);
    assert_eq!(exit_code(Failure::Build(&no_site)), 2);
    let unparsable = AuthoringError::Edit {
        path: PathBuf::from("incidents/a.yaml"),
        error: EditError::Unparsable("x".to_owned()),
    };
    assert_eq!(exit_code(Failure::Authoring(&unparsable)), 1);
    let refused = AuthoringError::Refused {
        path: PathBuf::from("incidents/a.yaml"),
        before: false,
        diagnostics: vec![Diagnostic::error(
            Code::FileTooLarge,
            "incidents/a.yaml",
            "too big",
        )],
    };
    assert_eq!(exit_code(Failure::Authoring(&refused)), 1);
    let unknown = AuthoringError::Flag(crate::authoring::FlagError {
        flag: "--impact",
        value: "x".to_owned(),
        word: 0..1,
        message: "unknown impact `x`".to_owned(),
        help: None,
        against_file: false,
    });
    assert_eq!(exit_code(Failure::Authoring(&unknown)), 2);
    assert_eq!(exit_code(Failure::Usage), 2);
}
