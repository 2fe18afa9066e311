package api

import (
	"net/http"
	"net/url"
	"strings"

	"quire/internal/archive"
	"quire/internal/site"
)

// personJSON is one account people search found.
type personJSON struct {
	Name  string `json:"name"`
	Works int    `json:"works"` // the works the caller may see
	URL   string `json:"url"`
}

// GET /api/v1/people/search?q=&page=: accounts whose name holds q, A–Z,
// 50 a page, as /people/search shows them.
func (a *server) searchPeople(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	v := r.URL.Query()
	page, err := site.PageParam("page", v.Get("page"))
	if err != nil {
		return err
	}
	res, err := a.site.SearchPeople(r.Context(), u, v.Get("q"), page)
	if err != nil {
		return err
	}
	base := strings.TrimRight(a.site.BaseURL, "/")
	people := make([]personJSON, 0, len(res.People))
	for _, p := range res.People {
		people = append(people, personJSON{Name: p.Name, Works: p.Works, URL: base + "/users/" + url.PathEscape(p.Name)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": res.Total, "page": res.Page, "per_page": res.PerPage, "people": people})
	return nil
}

// tagHitJSON is one tag tag search found.
type tagHitJSON struct {
	Name      string `json:"name"`
	Type      string `json:"type"`
	Canonical bool   `json:"canonical"`
	Works     int    `json:"works"` // the works the caller may see under it (filter rule)
	URL       string `json:"url"`
}

// GET /api/v1/tags/search?q=&type=&canonical=&fandom=&page=: as
// /tags/search, only tags the caller may know exist.
func (a *server) searchTags(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	v := r.URL.Query()
	in := site.TagSearch{Q: v.Get("q"), Canonical: v.Get("canonical"), Fandom: v.Get("fandom")}
	if t := v.Get("type"); t != "" {
		var ok bool
		if in.Type, ok = archive.ParseTagType(t); !ok {
			return archive.Invalid("type", "%q is not a tag type", t)
		}
	}
	var err error
	if in.Page, err = site.PageParam("page", v.Get("page")); err != nil {
		return err
	}
	res, err := a.site.SearchTags(r.Context(), u, in)
	if err != nil {
		return err
	}
	base := strings.TrimRight(a.site.BaseURL, "/")
	out := make([]tagHitJSON, 0, len(res.Tags))
	for _, t := range res.Tags {
		out = append(out, tagHitJSON{Name: t.Name, Type: string(t.Type), Canonical: t.Canonical, Works: t.Works,
			URL: base + "/tags/" + url.PathEscape(archive.EscapeTagURL(t.Name))})
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": res.Total, "page": res.Page, "per_page": res.PerPage, "tags": out})
	return nil
}
