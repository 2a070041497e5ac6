//! Checks on configuration values that [`ClientBuilder::build`](crate::ClientBuilder::build)
//! applies: no hidden characters in ids and keys, no credentials over plain `http://` to
//! anything but this machine.

/// `true` for characters that cannot be seen when a value is printed or pasted: control
/// characters (NUL, newlines, DEL...) and the invisible format characters that slip in from
/// copied text (zero-width space and joiners, bidirectional marks and isolates, word joiner,
/// soft hyphen, byte order mark).
pub(crate) fn is_hidden_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// `true` when `value` holds a [hidden character](is_hidden_char).
pub(crate) fn has_hidden_char(value: &str) -> bool {
    value.chars().any(is_hidden_char)
}

/// `true` when `url` uses `http://` to a host other than this machine (`localhost`,
/// `*.localhost`, 127.0.0.0/8, `::1`): credentials sent there would cross a network in
/// cleartext.
pub(crate) fn is_insecure_remote(url: &reqwest::Url) -> bool {
    if url.scheme() != "http" {
        return false;
    }
    let Some(host) = url.host_str() else {
        return true;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<std::net::IpAddr>() {
        return !ip.is_loopback();
    }
    let name = host.trim_end_matches('.').to_ascii_lowercase();
    !(name == "localhost" || name.ends_with(".localhost"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters() {
        for bad in [
            "a\0b",
            "a\nb",
            "a\u{200B}b",
            "\u{FEFF}acc",
            "a\u{202E}b",
            "a\u{7f}",
        ] {
            assert!(has_hidden_char(bad), "{bad:?}");
        }
        for good in ["acc-123_x", "ünïcödé", "a b", "日本"] {
            assert!(!has_hidden_char(good), "{good:?}");
        }
    }

    #[test]
    fn insecure_remote_urls() {
        let check = |u: &str| is_insecure_remote(&reqwest::Url::parse(u).unwrap());
        for local in [
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://[::1]:9",
            "http://localhost",
            "http://LOCALHOST.",
            "http://api.localhost:1",
            "https://api.example.com",
        ] {
            assert!(!check(local), "{local}");
        }
        for remote in [
            "http://api.example.com",
            "http://10.0.0.1",
            "http://[2001:db8::1]",
            "http://localhost.example.com",
        ] {
            assert!(check(remote), "{remote}");
        }
    }
}
