//! Embedding vectors in either form the API sends them.

use crate::types::EmbeddingEmbedding;

impl EmbeddingEmbedding {
    /// The vector as floats, whichever form the API sent: the list itself, or (for a request
    /// with `encoding_format: "base64"`) the base64 of its little-endian 32-bit floats.
    /// `None` for base64 that does not decode into whole floats, or a value of another shape.
    pub fn to_floats(&self) -> Option<Vec<f64>> {
        match self {
            EmbeddingEmbedding::Floats(floats) => Some(floats.clone()),
            EmbeddingEmbedding::Base64(text) => {
                let bytes = decode_base64(text)?;
                if bytes.len() % 4 != 0 {
                    return None;
                }
                Some(
                    bytes
                        .chunks_exact(4)
                        .map(|b| f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]])))
                        .collect(),
                )
            }
            _ => None,
        }
    }

    /// How many dimensions the vector has, in either form (`None` as for [`Self::to_floats`]).
    pub fn dimensions(&self) -> Option<usize> {
        match self {
            EmbeddingEmbedding::Floats(floats) => Some(floats.len()),
            other => other.to_floats().map(|floats| floats.len()),
        }
    }
}

/// Standard base64 (RFC 4648, `=` padding optional); `None` on any other character.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let digits = text.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let mut bits = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            bits |= value(c)? << (18 - 6 * i);
        }
        let bytes = bits.to_be_bytes();
        match chunk.len() {
            4 => out.extend_from_slice(&bytes[1..4]),
            3 => out.extend_from_slice(&bytes[1..3]),
            2 => out.push(bytes[1]),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_give_the_same_floats() {
        // 1.0 and 2.0 as little-endian f32, in base64 (computed by Python's struct/base64).
        let base64 = EmbeddingEmbedding::Base64("AACAPwAAAEA=".into());
        assert_eq!(base64.to_floats(), Some(vec![1.0, 2.0]));
        assert_eq!(base64.dimensions(), Some(2));
        let floats = EmbeddingEmbedding::Floats(vec![1.0, 2.0]);
        assert_eq!(floats.to_floats(), Some(vec![1.0, 2.0]));
        assert_eq!(EmbeddingEmbedding::Base64("AAA".into()).to_floats(), None);
        assert_eq!(EmbeddingEmbedding::Base64("A*AA".into()).to_floats(), None);
        assert_eq!(decode_base64("TWFu"), Some(b"Man".to_vec()));
        assert_eq!(decode_base64("TWE="), Some(b"Ma".to_vec()));
        assert_eq!(decode_base64("TQ=="), Some(b"M".to_vec()));
    }
}
