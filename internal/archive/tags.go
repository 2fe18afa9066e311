package archive

import (
	"fmt"
	"strings"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"quire/internal/text"
)

// TagType is the kind of a tag.
type TagType string

const (
	TypeRating       TagType = "rating"
	TypeWarning      TagType = "warning"
	TypeCategory     TagType = "category"
	TypeFandom       TagType = "fandom"
	TypeRelationship TagType = "relationship"
	TypeCharacter    TagType = "character"
	TypeFreeform     TagType = "freeform"
)

// TagTypes lists every type in the order a work's preface shows them.
var TagTypes = []TagType{TypeRating, TypeWarning, TypeCategory, TypeFandom, TypeRelationship, TypeCharacter, TypeFreeform}

// FreeTagTypes are the types whose tags creators name freely (the others are a
// fixed vocabulary). Together they are limited to MaxFreeTags per work.
var FreeTagTypes = []TagType{TypeFandom, TypeRelationship, TypeCharacter, TypeFreeform}

// ParseTagType accepts a type name.
func ParseTagType(s string) (TagType, bool) {
	for _, t := range TagTypes {
		if string(t) == s {
			return t, true
		}
	}
	return "", false
}

// Label is the preface heading for the type.
func (t TagType) Label() string {
	switch t {
	case TypeRating:
		return "Rating"
	case TypeWarning:
		return "Archive Warning"
	case TypeCategory:
		return "Category"
	case TypeFandom:
		return "Fandom"
	case TypeRelationship:
		return "Relationship"
	case TypeCharacter:
		return "Character"
	case TypeFreeform:
		return "Additional Tags"
	}
	return string(t)
}

// The fixed vocabularies (SPEC).
const (
	RatingNotRated = "Not Rated"
	RatingGeneral  = "General Audiences"
	RatingTeen     = "Teen And Up Audiences"
	RatingMature   = "Mature"
	RatingExplicit = "Explicit"

	WarningChoseNot = "Creator Chose Not To Use Archive Warnings"
	WarningViolence = "Graphic Depictions Of Violence"
	WarningMCD      = "Major Character Death"
	WarningNone     = "No Archive Warnings Apply"
	WarningNonCon   = "Rape/Non-Con"
	WarningUnderage = "Underage Sex"
)

var (
	Ratings    = []string{RatingNotRated, RatingGeneral, RatingTeen, RatingMature, RatingExplicit}
	Warnings   = []string{WarningChoseNot, WarningViolence, WarningMCD, WarningNone, WarningNonCon, WarningUnderage}
	Categories = []string{"F/F", "F/M", "Gen", "M/M", "Multi", "Other"}
)

// FixedVocabulary returns the allowed names for a fixed type, or nil.
func FixedVocabulary(t TagType) []string {
	switch t {
	case TypeRating:
		return Ratings
	case TypeWarning:
		return Warnings
	case TypeCategory:
		return Categories
	}
	return nil
}

// IsFixedTag reports whether name is a rating, warning or category: the
// names pages show translated (stored and filtered in English).
func IsFixedTag(name string) bool { return fixedTags[name] }

var fixedTags = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range [][]string{Ratings, Warnings, Categories} {
		for _, n := range l {
			m[n] = true
		}
	}
	return m
}()

// IsAdult reports whether a rating needs the adult-content notice.
func IsAdult(rating string) bool { return rating == RatingMature || rating == RatingExplicit }

// Limits (SPEC).
const (
	MaxTagLength     = 100
	MaxFreeTags      = 75
	MaxTitleLength   = 255
	MaxSummaryLength = 1250
	MaxNotesLength   = 5000
	MaxChapterLength = 510000
	MaxChapters      = 500
	MaxChapterTitle  = 255
	MaxPseudLength   = 40
	// MaxBioLength is AO3's limit on a profile's "About Me".
	MaxBioLength      = 2000
	MaxUserNameLength = 40
)

const forbiddenTagChars = ",^*<>{}=`\\%，、"

var folder = cases.Fold()

// TagKey is the uniqueness key of a tag name within its type: NFC, case folded.
func TagKey(name string) string {
	return folder.String(norm.NFC.String(strings.TrimSpace(name)))
}

// CleanTagName trims and NFC-normalises a tag name and checks the SPEC rules.
// NUL characters are removed, as from everything a creator writes.
func CleanTagName(name string) (string, error) {
	n := norm.NFC.String(strings.Join(strings.Fields(text.ValidUTF8(name)), " "))
	if n == "" {
		return "", fmt.Errorf("tag name is empty")
	}
	if l := len([]rune(n)); l > MaxTagLength {
		return "", fmt.Errorf("tag %q is %d characters long; the limit is %d", truncate(n, 30), l, MaxTagLength)
	}
	if i := strings.IndexAny(n, forbiddenTagChars); i >= 0 {
		r := []rune(n[i:])[0]
		return "", fmt.Errorf("tag %q contains %q, which tags may not contain", n, string(r))
	}
	for _, r := range n {
		if r < 0x20 || r == 0x7f {
			return "", fmt.Errorf("tag %q contains a control character", n)
		}
	}
	return n, nil
}

// SplitTagList splits a comma-separated tag field (as the work form uses).
func SplitTagList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// Tag is one entry in the tag vocabulary.
type Tag struct {
	ID        int64
	Type      TagType
	Name      string
	Canonical bool
	SynonymOf int64 // 0 when not a synonym

	// Media is the medium a wrangler gave a canonical fandom ("" for none):
	// one of Media.
	Media string
}

// Media are the media a canonical fandom may be given (AO3's), for the
// fandom directory.
var Media = []string{"Anime & Manga", "Books & Literature", "Cartoons & Comics & Graphic Novels", "Celebrities & Real People",
	"Movies", "Music & Bands", "Other Media", "Theater", "TV Shows", "Video Games", "Uncategorized Fandoms"}

// MediumNamed finds a medium by name, ignoring case; ok is false when
// there is no such medium.
func MediumNamed(name string) (string, bool) {
	name = strings.TrimSpace(name)
	for _, m := range Media {
		if strings.EqualFold(m, name) {
			return m, true
		}
	}
	return "", false
}

// Filterable reports whether the tag can be filtered on directly: canonical
// tags and unwrangled ones (neither canonical nor a synonym).
func (t *Tag) Filterable() bool { return t.Canonical || t.SynonymOf == 0 }

var (
	tagURLEscaper   = strings.NewReplacer("/", "*s*", "&", "*a*", ".", "*d*", "?", "*q*", "#", "*h*")
	tagURLUnescaper = strings.NewReplacer("*s*", "/", "*a*", "&", "*d*", ".", "*q*", "?", "*h*", "#")
)

// EscapeTagURL escapes a tag name for a URL path segment as AO3 does.
func EscapeTagURL(name string) string { return tagURLEscaper.Replace(name) }

// UnescapeTagURL reverses EscapeTagURL (after percent-decoding).
func UnescapeTagURL(s string) string { return tagURLUnescaper.Replace(s) }

// TitleSortKey is the key title sorts use: case folded, a leading "A", "An"
// or "The" ignored.
func TitleSortKey(title string) string {
	k := strings.TrimSpace(folder.String(title))
	for _, art := range []string{"a ", "an ", "the "} {
		if strings.HasPrefix(k, art) && len(k) > len(art) {
			k = strings.TrimSpace(k[len(art):])
			break
		}
	}
	return k
}
