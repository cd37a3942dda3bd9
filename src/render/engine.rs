//! Tera, the template engine: loading a theme's templates and explaining their errors.

use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::theme::Theme;

pub fn load_templates(theme: &Theme) -> Result<Tera, Diagnostics> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    let sources = theme
        .templates
        .iter()
        .map(|(name, (text, _))| (name.as_str(), text.as_str()));
    tera.add_raw_templates(sources)
        .map_err(|error| Diagnostics::from(template_error("", theme, &error)))?;
    Ok(tera)
}

/// Tera explains the problem in its own report; we add which theme file to open.
pub fn template_error(template: &str, theme: &Theme, error: &tera::Error) -> Diagnostic {
    let (named, message, position) = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            (
                report.filename().to_string(),
                report.message().to_string(),
                Some((span.start_line as u32, span.start_col as u32 + 1)),
            )
        }
        _ => (template.to_string(), error.to_string(), None),
    };
    let mut message = message;
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    let (display, text) = match theme.templates.get(&named) {
        Some((text, path)) => (path.clone(), text.as_str()),
        None => (named, ""),
    };
    let kind = if matches!(error.kind(), tera::ErrorKind::SyntaxError(_)) {
        "template-syntax"
    } else {
        "template-error"
    };
    let diagnostic =
        Diagnostic::error(kind, format!("template problem: {message}")).in_file(display);
    let diagnostic = match position {
        Some((line, column)) => diagnostic.at(text, line, column),
        None => diagnostic,
    };
    diagnostic.with_hint(
        "fix the template at this line; docs/themes.md lists every variable templates receive",
    )
}
