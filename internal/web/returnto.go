package web

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// localPath is the one gate for every place a request names where to send
// the browser next (return_to after log-in, mark for later, subscribe,
// kudos and comment forms): target when it is a path on this site,
// otherwise fallback.
//
// A path on this site starts with one slash and url.Parse finds neither a
// scheme nor a host in it. Control characters, spaces and backslashes are
// refused before parsing, because browsers drop tabs and newlines from a
// Location and read a backslash as a slash: "/\t/evil.example" and
// "/\\evil.example" would both leave the site.
func localPath(target, fallback string) string {
	if !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") {
		return fallback
	}
	if strings.ContainsFunc(target, func(r rune) bool {
		return r <= ' ' || r == '\\' || r == 0x7f || unicode.IsControl(r) || r == utf8.RuneError
	}) {
		return fallback
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return fallback
	}
	return target
}
