//! Colours written as hex in `site.yaml` (`brand_colour`), and the WCAG 2 contrast between two
//! of them, so a colour that text could not be read on is refused before it is published.

use std::fmt;

/// An opaque sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Colour {
    red: u8,
    green: u8,
    blue: u8,
}

/// The contrast text needs against its background: WCAG 2.2 success criterion 1.4.3 (AA) for
/// text of normal size.
pub const MINIMUM_TEXT_CONTRAST: f64 = 4.5;

impl Colour {
    pub const WHITE: Colour = Colour::rgb(0xff, 0xff, 0xff);
    pub const BLACK: Colour = Colour::rgb(0, 0, 0);

    pub const fn rgb(red: u8, green: u8, blue: u8) -> Colour {
        Colour { red, green, blue }
    }

    /// `#rgb` or `#rrggbb`, in either case. Anything else (names, `rgb(…)`, a missing `#`,
    /// transparency) is `None`: one way of writing a colour is the easiest to check.
    pub fn parse_hex(text: &str) -> Option<Colour> {
        let digits = text.strip_prefix('#')?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |hex: &str| u8::from_str_radix(hex, 16).ok();
        match digits.len() {
            3 => {
                let doubled = |i: usize| channel(&digits[i..=i].repeat(2));
                Some(Colour::rgb(doubled(0)?, doubled(1)?, doubled(2)?))
            }
            6 => Some(Colour::rgb(
                channel(&digits[0..2])?,
                channel(&digits[2..4])?,
                channel(&digits[4..6])?,
            )),
            _ => None,
        }
    }

    /// WCAG 2 relative luminance: 0 for black, 1 for white.
    pub fn relative_luminance(self) -> f64 {
        let linear = |channel: u8| {
            let c = f64::from(channel) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.red) + 0.7152 * linear(self.green) + 0.0722 * linear(self.blue)
    }

    /// The WCAG 2 contrast ratio of two colours, from 1 (the same) to 21 (black and white); the
    /// order does not matter.
    pub fn contrast(self, other: Colour) -> f64 {
        let (a, b) = (self.relative_luminance(), other.relative_luminance());
        let (lighter, darker) = if a >= b { (a, b) } else { (b, a) };
        (lighter + 0.05) / (darker + 0.05)
    }

    /// The shade of this colour's hue nearest to it that has at least `minimum` contrast with
    /// `text`: darker for light text, lighter for dark text. `None` when this colour already
    /// has it.
    pub fn readable_shade(self, text: Colour, minimum: f64) -> Option<Colour> {
        if self.contrast(text) >= minimum {
            return None;
        }
        let (hue, saturation, lightness) = self.hsl();
        let passes = |l: f64| Colour::from_hsl(hue, saturation, l).contrast(text) >= minimum;
        // Away from the text first: darker under light text, lighter under dark text.
        let away = if text.relative_luminance() >= self.relative_luminance() {
            [0.0, 1.0]
        } else {
            [1.0, 0.0]
        };
        let end = away.into_iter().find(|&end| passes(end))?;
        // Contrast only grows on the way from this colour's lightness (fails) to that end
        // (passes): bisect for the shade nearest to this colour that passes.
        let (mut failing, mut passing) = (lightness, end);
        for _ in 0..40 {
            let middle = (failing + passing) / 2.0;
            if passes(middle) {
                passing = middle;
            } else {
                failing = middle;
            }
        }
        Some(Colour::from_hsl(hue, saturation, passing))
    }

    /// Hue in degrees, saturation and lightness from 0 to 1.
    fn hsl(self) -> (f64, f64, f64) {
        let [r, g, b] = [self.red, self.green, self.blue].map(|c| f64::from(c) / 255.0);
        let max = r.max(g).max(b);
        let min = r.min(g).min(b);
        let lightness = (max + min) / 2.0;
        let delta = max - min;
        if delta == 0.0 {
            return (0.0, 0.0, lightness);
        }
        let saturation = delta / (1.0 - (2.0 * lightness - 1.0).abs());
        let hue = if max == r {
            60.0 * ((g - b) / delta).rem_euclid(6.0)
        } else if max == g {
            60.0 * ((b - r) / delta + 2.0)
        } else {
            60.0 * ((r - g) / delta + 4.0)
        };
        (hue, saturation, lightness)
    }

    /// The colour of an HSL triple: channels are cut for dark shades and rounded up for light
    /// ones, so a shade chosen for its contrast keeps it in whole numbers.
    fn from_hsl(hue: f64, saturation: f64, lightness: f64) -> Colour {
        let chroma = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
        let x = chroma * (1.0 - ((hue / 60.0).rem_euclid(2.0) - 1.0).abs());
        let (r, g, b) = match hue {
            h if h < 60.0 => (chroma, x, 0.0),
            h if h < 120.0 => (x, chroma, 0.0),
            h if h < 180.0 => (0.0, chroma, x),
            h if h < 240.0 => (0.0, x, chroma),
            h if h < 300.0 => (x, 0.0, chroma),
            _ => (chroma, 0.0, x),
        };
        let m = lightness - chroma / 2.0;
        let to_byte = |c: f64| {
            let scaled = ((c + m) * 255.0).clamp(0.0, 255.0);
            if lightness < 0.5 {
                scaled.floor() as u8
            } else {
                scaled.ceil() as u8
            }
        };
        Colour::rgb(to_byte(r), to_byte(g), to_byte(b))
    }
}

/// `#00527a`: always six lower-case digits, however it was written.
impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.red, self.green, self.blue)
    }
}

/// A contrast ratio as people read it, `4.54:1`: rounded to two decimals, except that a ratio
/// short of 4.5:1 never reads as `4.5:1`.
pub fn ratio_text(ratio: f64) -> String {
    let rounded = (ratio * 100.0).round() / 100.0;
    let hundredths = if ratio < MINIMUM_TEXT_CONTRAST && rounded >= MINIMUM_TEXT_CONTRAST {
        MINIMUM_TEXT_CONTRAST - 0.01
    } else {
        rounded
    };
    let text = format!("{hundredths:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}:1")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> Colour {
        Colour::parse_hex(text).unwrap_or_else(|| panic!("{text} is a colour"))
    }

    #[test]
    fn reads_three_and_six_digit_hex() {
        assert_eq!(hex("#00527a").to_string(), "#00527a");
        assert_eq!(hex("#005EA5").to_string(), "#005ea5");
        assert_eq!(hex("#fff"), Colour::WHITE);
        assert_eq!(hex("#0A8").to_string(), "#00aa88");
        for bad in [
            "00527a",
            "#00527",
            "#00527a0",
            "#0052",
            "#ggg",
            "",
            "#",
            "red",
            "#00527aff",
            "# 0052a",
            "#+12",
            "#٣٣٣",
        ] {
            assert_eq!(Colour::parse_hex(bad), None, "{bad}");
        }
    }

    #[test]
    fn contrast_matches_known_pairs() {
        assert!((Colour::WHITE.contrast(Colour::BLACK) - 21.0).abs() < 1e-9);
        assert!((Colour::BLACK.contrast(Colour::WHITE) - 21.0).abs() < 1e-9);
        assert!((Colour::WHITE.contrast(Colour::WHITE) - 1.0).abs() < 1e-9);
        assert_eq!(ratio_text(hex("#767676").contrast(Colour::WHITE)), "4.54:1");
        assert_eq!(ratio_text(hex("#777777").contrast(Colour::WHITE)), "4.48:1");
        // GOV.UK's link blue and its brand blue.
        assert_eq!(ratio_text(hex("#1d70b8").contrast(Colour::WHITE)), "5.17:1");
        assert_eq!(ratio_text(hex("#005ea5").contrast(Colour::WHITE)), "6.68:1");
        assert_eq!(ratio_text(Colour::WHITE.contrast(Colour::BLACK)), "21:1");
        assert_eq!(ratio_text(1.0), "1:1");
        assert_eq!(ratio_text(4.4999), "4.49:1");
        assert_eq!(ratio_text(4.5), "4.5:1");
    }

    #[test]
    fn relative_luminance_ends_at_black_and_white() {
        assert_eq!(Colour::BLACK.relative_luminance(), 0.0);
        assert!((Colour::WHITE.relative_luminance() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn suggests_the_nearest_readable_shade_of_the_same_hue() {
        let light_blue = hex("#7fb2e5");
        let shade = light_blue
            .readable_shade(Colour::WHITE, MINIMUM_TEXT_CONTRAST)
            .expect("a darker blue");
        let ratio = shade.contrast(Colour::WHITE);
        assert!((4.5..4.7).contains(&ratio), "{shade} {ratio}");
        let (hue, saturation, _) = shade.hsl();
        let (light_hue, light_saturation, _) = light_blue.hsl();
        assert!((hue - light_hue).abs() < 2.0, "{hue} {light_hue}");
        assert!((saturation - light_saturation).abs() < 0.05);
        // Dark text on a dark colour: a lighter shade.
        let lighter = hex("#333333")
            .readable_shade(Colour::BLACK, MINIMUM_TEXT_CONTRAST)
            .expect("a lighter grey");
        assert!(lighter.contrast(Colour::BLACK) >= MINIMUM_TEXT_CONTRAST);
        assert!(lighter.relative_luminance() > hex("#333333").relative_luminance());
        // White under white text: grey, the nearest readable shade without a hue.
        assert_eq!(
            Colour::WHITE.readable_shade(Colour::WHITE, MINIMUM_TEXT_CONTRAST),
            Some(hex("#767676"))
        );
        // Already readable: nothing to suggest.
        assert_eq!(
            hex("#00527a").readable_shade(Colour::WHITE, MINIMUM_TEXT_CONTRAST),
            None
        );
    }

    #[test]
    fn every_suggested_shade_passes() {
        for red in (0..=255u8).step_by(17) {
            for green in (0..=255u8).step_by(51) {
                for blue in (0..=255u8).step_by(51) {
                    let colour = Colour::rgb(red, green, blue);
                    for text in [Colour::WHITE, Colour::BLACK] {
                        if let Some(shade) = colour.readable_shade(text, MINIMUM_TEXT_CONTRAST) {
                            assert!(
                                shade.contrast(text) >= MINIMUM_TEXT_CONTRAST,
                                "{colour} on {text}: {shade}"
                            );
                        }
                    }
                }
            }
        }
    }
}
