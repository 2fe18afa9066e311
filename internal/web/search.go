package web

import (
	"net/http"
	"net/url"
	"strconv"

	"quire/internal/archive"
	"quire/internal/site"
)

// searchPage is a people or tag search with its form and pager.
type searchPage struct {
	Form     url.Values
	Action   string
	Page     int
	LastPage int
	Total    int
	People   []site.PersonHit
	Tags     []site.TagHit
	Types    []archive.TagType
}

// URL links to another page of the same search.
func (p *searchPage) URL(page int) string {
	v := url.Values{}
	for k, vals := range p.Form {
		if k != "page" {
			v[k] = vals
		}
	}
	v.Set("page", strconv.Itoa(page))
	return p.Action + "?" + v.Encode()
}

// Get is a form value.
func (p *searchPage) Get(key string) string { return p.Form.Get(key) }

func pageParam(v url.Values) (int, error) {
	s := v.Get("page")
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, archive.Invalid("page", "must be a whole number of 1 or more")
	}
	return n, nil
}

// GET /people/search?q=
func (srv *Server) peopleSearch(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	p := &searchPage{Form: v, Action: r.URL.Path}
	page, err := pageParam(v)
	var res *site.PeoplePage
	if err == nil {
		res, err = srv.site.SearchPeople(r.Context(), currentUser(r), v.Get("q"), page)
	}
	if err != nil {
		return srv.invalid(w, r, err, "people_search", "Search people", p)
	}
	p.People, p.Total, p.Page = res.People, res.Total, res.Page
	p.LastPage = (res.Total + res.PerPage - 1) / res.PerPage
	srv.render(w, r, http.StatusOK, "people_search", pageData{Title: "Search people", P: p})
	return nil
}

// GET /tags/search?q=&type=&canonical=&fandom=
func (srv *Server) tagsSearch(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	p := &searchPage{Form: v, Action: r.URL.Path, Types: archive.TagTypes}
	in := site.TagSearch{Q: v.Get("q"), Canonical: v.Get("canonical"), Fandom: v.Get("fandom")}
	var err error
	if t := v.Get("type"); t != "" {
		var ok bool
		if in.Type, ok = archive.ParseTagType(t); !ok {
			err = archive.Invalid("type", "%q is not a tag type", t)
		}
	}
	if err == nil {
		in.Page, err = pageParam(v)
	}
	var res *site.TagsPage
	if err == nil {
		res, err = srv.site.SearchTags(r.Context(), currentUser(r), in)
	}
	if err != nil {
		return srv.invalid(w, r, err, "tags_search", "Search tags", p)
	}
	p.Tags, p.Total, p.Page = res.Tags, res.Total, res.Page
	p.LastPage = (res.Total + res.PerPage - 1) / res.PerPage
	srv.render(w, r, http.StatusOK, "tags_search", pageData{Title: "Search tags", P: p})
	return nil
}
