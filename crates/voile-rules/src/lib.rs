//! voile-rules: regex detectors with checksum validators for French structured identifiers
//! (dates, phones, e-mails, NIR, IPP/NDA/RPPS/FINESS and other ids, addresses, postcodes,
//! titled names, HL7 v2 segment fields, values of export fields: CSV columns, `KEY=value`,
//! JSON), including the noisy forms of real documents: OCR
//! letters read for digits, boxed and irregularly grouped numbers (`noisy`), exported and
//! glued dates, spelled-out phones and street numbers. Small vocabularies (weekdays, month
//! words, phone extension cues) are data in `gazetteers/lexicons/`.
//!
//! [`Rules`] compiles every pattern once in [`Rules::new`] and is then shared across threads.
//! [`Rules::detect`](voile_core::Detector::detect) emits *candidates* that may overlap (a
//! date and the birth date on the same range, a phone and an IPP); the pipeline's
//! [`voile_core::resolve`] keeps the best by score. Scores follow one scale: checksum-valid
//! 0.97–0.99, cue-bound 0.9–0.97, shape-only 0.6–0.88. Spans never cross a line break.

mod address;
mod contacts;
mod dates;
mod exports;
mod gate;
mod hl7;
mod ids;
mod lexicon;
mod names;
mod noisy;
mod text;

use serde::{Deserialize, Serialize};
use voile_core::{Detector, Error, ErrorKind, Span};

/// Which detector families run. Every family is on by default.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct RulesConfig {
    /// DATE and DATE_NAISSANCE.
    pub dates: bool,
    /// TEL.
    pub phones: bool,
    /// MAIL.
    pub emails: bool,
    /// SECU (NIR).
    pub nir: bool,
    /// IPP, NDA and other cue-bound identifiers (RPPS, FINESS, samples, IBAN…) as ID.
    pub identifiers: bool,
    /// ADRESSE (street part).
    pub addresses: bool,
    /// ZIP, plus a low-score VILLE hint for the words after a postcode.
    pub zips: bool,
    /// NOM / PRENOM after titles and header fields.
    pub names: bool,
    /// Identifying fields of HL7 v2 segments (`PID|…`, `PV1|…`, `OBR|…`) by position.
    pub hl7: bool,
}

impl Default for RulesConfig {
    fn default() -> Self {
        RulesConfig {
            dates: true,
            phones: true,
            emails: true,
            nir: true,
            identifiers: true,
            addresses: true,
            zips: true,
            names: true,
            hl7: true,
        }
    }
}

/// The compiled rule detectors. Cheap to share (`Send + Sync`), built once.
pub struct Rules {
    cfg: RulesConfig,
    dates: dates::Dates,
    contacts: contacts::Contacts,
    ids: ids::Ids,
    address: address::Address,
    names: names::Names,
    exports: exports::Exports,
}

impl Rules {
    /// Compile every pattern. Fails only if a built-in pattern does not compile.
    pub fn new(cfg: &RulesConfig) -> Result<Rules, Error> {
        let err = |e: regex::Error| {
            Error::new(ErrorKind::Config(format!(
                "rules: pattern failed to compile: {e}"
            )))
        };
        Ok(Rules {
            cfg: cfg.clone(),
            dates: dates::Dates::new().map_err(err)?,
            contacts: contacts::Contacts::new().map_err(err)?,
            ids: ids::Ids::new().map_err(err)?,
            address: address::Address::new().map_err(err)?,
            names: names::Names::new().map_err(err)?,
            exports: exports::Exports::new().map_err(err)?,
        })
    }

    /// The configuration the detectors were built with.
    pub fn config(&self) -> &RulesConfig {
        &self.cfg
    }
}

impl Detector for Rules {
    fn name(&self) -> &str {
        "rules"
    }

    fn detect(&self, text: &str, out: &mut Vec<Span>) {
        let has_digit = text.bytes().any(|b| b.is_ascii_digit());
        let c = &self.cfg;
        if has_digit {
            let runs = text::digit_runs(text);
            if c.dates {
                self.dates.detect_with(text, &runs, out);
            }
            if c.phones {
                self.contacts.detect_phones(text, out);
                contacts::detect_extensions(text, &runs, out);
            }
            if c.nir {
                self.ids.detect_nir(text, out);
            }
            if c.identifiers {
                self.ids.detect_cued(text, out, &self.dates);
            }
            let from = out.len();
            if c.dates || c.phones || c.nir {
                noisy::detect_chains(text, &runs, out);
            }
            noisy::detect_ocr(text, &runs, out, &|line: &str, found: &mut Vec<Span>| {
                if c.dates {
                    self.dates.detect(line, found);
                }
                if c.phones {
                    self.contacts.detect_phones(line, found);
                }
                if c.nir {
                    self.ids.detect_nir(line, found);
                }
                noisy::detect_chains(line, &text::digit_runs(line), found);
                if c.zips {
                    self.address.detect(line, found, false, true);
                }
            });
            let enabled = |l: voile_core::Label| match l {
                voile_core::Label::Date | voile_core::Label::DateNaissance => c.dates,
                voile_core::Label::Tel => c.phones,
                voile_core::Label::Secu => c.nir,
                _ => true,
            };
            let mut k = from;
            while k < out.len() {
                if enabled(out[k].label) {
                    k += 1;
                } else {
                    out.swap_remove(k);
                }
            }
        } else if c.dates {
            self.dates.detect(text, out);
        }
        if c.phones {
            contacts::detect_spelled(text, out);
        }
        if c.emails && text.as_bytes().contains(&b'@') {
            self.contacts.detect_mails(text, out);
        }
        if c.addresses || c.zips {
            self.address
                .detect(text, out, c.addresses, c.zips && has_digit);
        }
        if c.names {
            self.names.detect(text, out);
        }
        if c.hl7 {
            hl7::detect(text, out);
        }
        if c.identifiers {
            self.exports.detect(text, out);
        }
    }
}

#[cfg(test)]
mod tests;
