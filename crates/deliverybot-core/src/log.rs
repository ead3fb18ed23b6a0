//! Log lines collected while the engine works; the caller prints them after each step.

use crate::protocol::{Annotation, Level, LogLine};

#[derive(Debug, Default)]
pub struct Log(Vec<LogLine>);

impl Log {
    pub fn debug(&mut self, message: impl Into<String>) {
        self.push(Level::Debug, message.into(), None);
    }

    pub fn info(&mut self, message: impl Into<String>) {
        self.push(Level::Info, message.into(), None);
    }

    pub fn notice(&mut self, message: impl Into<String>) {
        self.push(Level::Notice, message.into(), None);
    }

    pub fn warning(&mut self, message: impl Into<String>) {
        self.push(Level::Warning, message.into(), None);
    }

    /// A line about a place in a file, which the runner shows on that file (`::warning file=…`).
    pub fn annotated(&mut self, level: Level, message: impl Into<String>, annotation: Option<Annotation>) {
        self.push(level, message.into(), annotation);
    }

    fn push(&mut self, level: Level, message: String, annotation: Option<Annotation>) {
        self.0.push(LogLine { level, message, annotation });
    }

    pub fn take(&mut self) -> Vec<LogLine> {
        std::mem::take(&mut self.0)
    }
}
