package api

import (
	"net/http"
	"strings"

	"quire/internal/archive"
	"quire/internal/site"
)

// tagJSON is one tag with its wrangling.
type tagJSON struct {
	Name          string   `json:"name"`
	Type          string   `json:"type"`
	Canonical     bool     `json:"canonical"`
	SynonymOf     *string  `json:"synonym_of"`
	Synonyms      []string `json:"synonyms"`
	Meta          []string `json:"meta"`
	Sub           []string `json:"sub"`
	ParentFandoms []string `json:"parent_fandoms"`
	Works         int      `json:"works"`
	// Media is a canonical fandom's medium, null when it has none.
	Media *string `json:"media"`
}

func tagOut(t *site.TagInfo) *tagJSON {
	j := &tagJSON{Name: t.Name, Type: string(t.Type), Canonical: t.Canonical,
		Synonyms: nonNil(t.Synonyms), Meta: nonNil(t.Meta), Sub: nonNil(t.Sub), ParentFandoms: nonNil(t.ParentFandoms), Works: t.Works}
	if t.SynonymOf != "" {
		s := t.SynonymOf
		j.SynonymOf = &s
	}
	if t.Media != "" {
		m := t.Media
		j.Media = &m
	}
	return j
}

// tagType reads the optional ?type= (any type when absent).
func tagType(r *http.Request) (archive.TagType, error) {
	s := strings.TrimSpace(r.URL.Query().Get("type"))
	if s == "" {
		return "", nil
	}
	t, ok := archive.ParseTagType(s)
	if !ok {
		return "", archive.Invalid("type", "%q is not a tag type; use one of rating, warning, category, fandom, relationship, character, freeform", s)
	}
	return t, nil
}

// tagName is the tag named in the path: percent-decoded by the router, and
// AO3's escapes (*s* for /, …) undone too, since "*" can't be in a tag name.
func tagName(r *http.Request) string {
	return archive.UnescapeTagURL(r.PathValue("name"))
}

// GET /api/v1/tags/{name}[?type=…]
func (a *server) getTag(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	// /api/v1/tags/search is the tag search, as /tags/search is on the
	// pages (the mux can't hold both it and {name} with their 405s).
	if r.PathValue("name") == "search" {
		return a.searchTags(w, r, u)
	}
	t, err := tagType(r)
	if err != nil {
		return err
	}
	info, err := a.site.TagInfo(r.Context(), u, t, tagName(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, tagOut(info))
	return nil
}

// addRemove is a list edit in a tag patch.
type addRemove struct {
	Add    []string `json:"add"`
	Remove []string `json:"remove"`
}

// tagPatch is the body of PATCH /api/v1/tags/{name}; every field is optional.
type tagPatch struct {
	Canonical     *bool      `json:"canonical"`
	SynonymOf     *string    `json:"synonym_of"`
	Meta          *addRemove `json:"meta"`
	ParentFandoms *addRemove `json:"parent_fandoms"`
	Media         *string    `json:"media"`
}

var tagPatchKeys = []string{"canonical", "synonym_of", "meta", "parent_fandoms", "media"}

// PATCH /api/v1/tags/{name}[?type=…]: wranglers only.
func (a *server) wrangleTag(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	t, err := tagType(r)
	if err != nil {
		return err
	}
	var b tagPatch
	present, err := a.readJSON(w, r, &b)
	if err != nil {
		return err
	}
	// A misspelt key would otherwise be a silent no-op on the vocabulary.
	for k := range present {
		known := false
		for _, want := range tagPatchKeys {
			known = known || k == want
		}
		if !known {
			return malformed("%q is not a tag field; send any of %s", k, strings.Join(tagPatchKeys, ", "))
		}
	}
	if present["canonical"] && b.Canonical == nil {
		return malformed("canonical must be true or false, not null")
	}
	c := site.TagChange{Canonical: b.Canonical}
	if present["synonym_of"] {
		s := "" // null clears
		if b.SynonymOf != nil {
			s = *b.SynonymOf
		}
		c.SynonymOf = &s
	}
	if present["media"] {
		m := "" // null takes the medium away
		if b.Media != nil {
			m = *b.Media
		}
		c.Media = &m
	}
	if b.Meta != nil {
		c.MetaAdd, c.MetaRemove = b.Meta.Add, b.Meta.Remove
	}
	if b.ParentFandoms != nil {
		c.ParentAdd, c.ParentRemove = b.ParentFandoms.Add, b.ParentFandoms.Remove
	}
	info, err := a.site.Wrangle(r.Context(), u, t, tagName(r), c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, tagOut(info))
	return nil
}

// suggestionJSON is one autocomplete answer.
type suggestionJSON struct {
	Name      string `json:"name"`
	Type      string `json:"type"`
	Canonical bool   `json:"canonical"`
	Works     int    `json:"works"`
}

// GET /api/v1/autocomplete/tags?type=…&q=…
func (a *server) autocompleteTags(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	t, err := tagType(r)
	if err != nil {
		return err
	}
	q := r.URL.Query().Get("q")
	if strings.TrimSpace(q) == "" {
		return archive.Invalid("q", "is required: the beginning of a tag name")
	}
	list, err := a.site.Autocomplete(r.Context(), u, t, q, site.MaxSuggestions)
	if err != nil {
		return err
	}
	out := make([]suggestionJSON, 0, len(list))
	for _, s := range list {
		out = append(out, suggestionJSON{Name: s.Name, Type: string(s.Type), Canonical: s.Canonical, Works: s.Works})
	}
	writeJSON(w, http.StatusOK, map[string]any{"tags": out})
	return nil
}
