package archive

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// IsLocalPath reports whether target is a path on this site, safe to send
// a browser to: it starts with one slash and url.Parse finds neither a
// scheme nor a host in it. Control characters, spaces and backslashes are
// refused before parsing, because browsers drop tabs and newlines from a
// Location and read a backslash as a slash: "/\t/evil.example" and
// "/\\evil.example" would both leave the site. Every redirect whose target
// comes from a request or from imported data goes through it.
func IsLocalPath(target string) bool {
	if !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") {
		return false
	}
	if strings.ContainsFunc(target, func(r rune) bool {
		return r <= ' ' || r == '\\' || r == 0x7f || unicode.IsControl(r) || r == utf8.RuneError
	}) {
		return false
	}
	u, err := url.Parse(target)
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil && u.Opaque == "" && strings.HasPrefix(u.Path, "/")
}
