package archive

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"quire/internal/text"
)

// Related works (issue 12): a work names works it is inspired by, a
// translation of or a remix of, here (ParentID) or elsewhere (URL). A link
// to a work here waits for the parent's creators (pending) who approve or
// reject it; a link to elsewhere, or to one's own work, is approved at once.
const (
	RelatedInspiredBy  = "inspired_by"
	RelatedTranslation = "translation"
	RelatedRemix       = "remix"

	RelatedPending  = "pending"
	RelatedApproved = "approved"
	RelatedRejected = "rejected"

	MaxRelatedPerWork = 10
	MaxRelatedTitle   = 255
	MaxRelatedCreator = 100
	MaxRelatedURL     = 2000
)

// RelatedWork is one link from a work (ChildID) to the work it names.
type RelatedWork struct {
	ChildID  int64
	Position int
	ParentID int64  // a work here, or 0
	URL      string // elsewhere, when ParentID is 0
	Title    string // for a link elsewhere
	Creator  string // for a link elsewhere
	Kind     string
	State    string
	// CreatedAt and UpdatedAt: when the link was named and last answered.
	CreatedAt time.Time
	UpdatedAt time.Time
}

// RelatedInput is a link as the form or the API name it.
type RelatedInput struct {
	WorkID  int64
	URL     string
	Title   string
	Creator string
	Kind    string
}

// ValidRelatedKind checks a link's kind.
func ValidRelatedKind(kind string) error {
	switch kind {
	case RelatedInspiredBy, RelatedTranslation, RelatedRemix:
		return nil
	}
	return Invalid("related", "kind %q is not inspired_by, translation or remix", kind)
}

// RelatedKindPhrase is how a page names a link's kind ("Inspired by").
func RelatedKindPhrase(kind string) string {
	switch kind {
	case RelatedTranslation:
		return "A translation of"
	case RelatedRemix:
		return "A remix of"
	}
	return "Inspired by"
}

// CleanRelated trims and checks links, dropping empty rows and repeats. A
// URL naming a work on this archive (base, e.g. "https://quire.example")
// or a path "/works/N" becomes a link to that work; any other URL must be
// http or https and comes with a title.
func CleanRelated(in []RelatedInput, base string) ([]RelatedInput, error) {
	var out []RelatedInput
	seenWork := map[int64]bool{}
	seenURL := map[string]bool{}
	for _, r := range in {
		r.URL = strings.TrimSpace(text.ValidUTF8(r.URL))
		r.Title = strings.Join(strings.Fields(text.ValidUTF8(r.Title)), " ")
		r.Creator = strings.Join(strings.Fields(text.ValidUTF8(r.Creator)), " ")
		r.Kind = strings.TrimSpace(r.Kind)
		if r.WorkID == 0 && r.URL == "" {
			if r.Title != "" || r.Creator != "" {
				return nil, Invalid("related", "%q needs the work's URL", r.Title)
			}
			continue
		}
		if r.Kind == "" {
			r.Kind = RelatedInspiredBy
		}
		if err := ValidRelatedKind(r.Kind); err != nil {
			return nil, err
		}
		if r.WorkID == 0 {
			if id, ok := localWorkID(r.URL, base); ok {
				r.WorkID, r.URL = id, ""
			}
		}
		if r.WorkID < 0 {
			return nil, Invalid("related", "work id %d is not a work's id", r.WorkID)
		}
		if r.WorkID > 0 {
			r.URL, r.Title, r.Creator = "", "", ""
			if seenWork[r.WorkID] {
				continue
			}
			seenWork[r.WorkID] = true
			out = append(out, r)
			continue
		}
		if utf8.RuneCountInString(r.URL) > MaxRelatedURL {
			return nil, Invalid("related", "a URL is longer than %d characters", MaxRelatedURL)
		}
		u, err := url.Parse(r.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, Invalid("related", "%q is not a web address (http or https) or a work on this archive", r.URL)
		}
		if r.Title == "" {
			return nil, Invalid("related", "the work at %s needs a title", r.URL)
		}
		if utf8.RuneCountInString(r.Title) > MaxRelatedTitle {
			return nil, Invalid("related", "a title is longer than %d characters", MaxRelatedTitle)
		}
		if utf8.RuneCountInString(r.Creator) > MaxRelatedCreator {
			return nil, Invalid("related", "a creator's name is longer than %d characters", MaxRelatedCreator)
		}
		if seenURL[r.URL] {
			continue
		}
		seenURL[r.URL] = true
		out = append(out, r)
	}
	if len(out) > MaxRelatedPerWork {
		return nil, Invalid("related", "names %d related works; the limit is %d", len(out), MaxRelatedPerWork)
	}
	return out, nil
}

// localWorkID reads "/works/N", "N" or base+"/works/N" (with any trailing
// path, as a chapter's URL).
func localWorkID(raw, base string) (int64, bool) {
	rest := raw
	if base != "" && strings.HasPrefix(strings.ToLower(raw), strings.ToLower(strings.TrimRight(base, "/"))+"/") {
		rest = raw[len(strings.TrimRight(base, "/")):]
	}
	if !strings.HasPrefix(rest, "/works/") {
		if id, err := parsePositive(rest); err == nil {
			return id, true
		}
		return 0, false
	}
	rest = strings.TrimPrefix(rest, "/works/")
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	id, err := parsePositive(rest)
	return id, err == nil
}

func parsePositive(s string) (int64, error) {
	var n int64
	if s == "" || len(s) > 18 {
		return 0, Invalid("related", "not a number")
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, Invalid("related", "not a number")
		}
		n = n*10 + int64(c-'0')
	}
	if n == 0 {
		return 0, Invalid("related", "not a number")
	}
	return n, nil
}
