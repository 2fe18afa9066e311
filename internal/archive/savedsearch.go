package archive

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"quire/internal/text"
)

// Saved searches: the limits a reader's saved searches keep, wherever they
// come from (a page, the API, an import).
const (
	// MaxSavedSearches is how many searches one reader may save.
	MaxSavedSearches = 50
	// MaxSavedSearchName is the longest name of a saved search, in characters.
	MaxSavedSearchName = 100
	// MaxSavedSearchParams is the longest URL-encoded parameter string a
	// search keeps, in bytes (a listing with dozens of tags fits).
	MaxSavedSearchParams = 4000
)

// Digest frequencies of a saved search.
const (
	DigestOff    = "off"
	DigestDaily  = "daily"
	DigestWeekly = "weekly"
)

// CleanSavedSearchName trims a search's name to one line of plain text and
// checks its length.
func CleanSavedSearchName(name string) (string, error) {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, text.ValidUTF8(name))
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return "", Invalid("name", "can't be blank: name the search so you can find it again")
	}
	if n := utf8.RuneCountInString(name); n > MaxSavedSearchName {
		return "", Invalid("name", "is %d characters long; the limit is %d", n, MaxSavedSearchName)
	}
	return name, nil
}

// CheckDigest checks a digest frequency ("" is off).
func CheckDigest(d string) (string, error) {
	switch d {
	case "", DigestOff:
		return DigestOff, nil
	case DigestDaily, DigestWeekly:
		return d, nil
	}
	return "", Invalid("digest", "must be off, daily or weekly, not %q", d)
}
