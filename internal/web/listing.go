package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"quire/internal/archive"
	"quire/internal/listing"
	"quire/internal/site"
)

// listPage is a works listing with its filter form.
type listPage struct {
	Heading  string
	Intro    string
	Action   string
	Works    []*archive.Work
	Blurbs   []template.HTML
	Total    int
	Page     int
	LastPage int
	Facets   map[archive.TagType][]listing.Facet
	Form     url.Values
	Sorts    []string
	// Groups are the sidebar's include/exclude checkboxes, printed.
	Groups template.HTML
	base   url.Values
}

// groups prints the sidebar's checkboxes: the fixed vocabularies, then the
// facets of every free type. A listing shows some sixty pairs of them, and
// a template range over them cost more than the rest of the page together
// (each action a reflective call and an escaper), so they are written here,
// every value escaped.
func (p *listPage) groups() template.HTML {
	var b strings.Builder
	b.Grow(16 << 10)
	esc := func(s string) { escapeTo(&b, s) }
	id := func(x, key string, i int) {
		b.WriteString(x)
		esc(key)
		b.WriteByte('-')
		b.WriteString(strconv.Itoa(i))
	}
	checked := func(on bool) {
		if on {
			b.WriteString(" checked")
		}
	}
	box := func(key string, i int, value, label string) {
		b.WriteString(`<div><input type="checkbox" id="`)
		id("", key, i)
		b.WriteString(`" name="`)
		esc(key)
		b.WriteString(`" value="`)
		esc(value)
		b.WriteByte('"')
		checked(p.Checked(key, value))
		b.WriteString(`> <label for="`)
		id("", key, i)
		b.WriteString(`">`)
		esc(label)
		b.WriteString("</label>\n  <input type=\"checkbox\" id=\"")
		id("x", key, i)
		b.WriteString(`" name="exclude_`)
		esc(key)
		b.WriteString(`" value="`)
		esc(value)
		b.WriteByte('"')
		checked(p.Checked("exclude_"+key, value))
		b.WriteString(`> <label for="`)
		id("x", key, i)
		b.WriteString(`" class="exclude">exclude<span class="visually-hidden"> `)
		esc(value)
		b.WriteString("</span></label></div>\n  ")
	}
	group := func(legend string, each func()) {
		b.WriteString("<fieldset><legend>")
		esc(legend)
		b.WriteString("</legend>\n  ")
		each()
		b.WriteString("</fieldset>\n  ")
	}
	for _, f := range []struct {
		legend, key string
		vocab       []string
	}{{"Ratings", "rating", archive.Ratings}, {"Archive warnings", "warning", archive.Warnings}, {"Categories", "category", archive.Categories}} {
		group(f.legend, func() {
			for i, v := range f.vocab {
				box(f.key, i, v, v)
			}
		})
	}
	for _, t := range archive.FreeTagTypes {
		fs := p.Facets[t]
		if len(fs) == 0 {
			continue
		}
		group(t.Label(), func() {
			for i, f := range fs {
				box(string(t), i, f.Name, f.Name+" ("+formatNum(f.Count)+")")
			}
		})
	}
	return template.HTML(b.String()) // every value above is escaped
}

// escapeTo writes s escaped for HTML text and quoted attributes, as
// html/template's escapers do, without building a string of its own.
func escapeTo(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case '&':
			rep = "&amp;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '"':
			rep = "&#34;"
		case '\'':
			rep = "&#39;"
		case 0:
			rep = "\uFFFD"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(rep)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// URL links to another page of the same listing.
func (p *listPage) URL(page int) string {
	v := url.Values{}
	for k, vals := range p.base {
		v[k] = vals
	}
	v.Set("page", strconv.Itoa(page))
	return p.Action + "?" + v.Encode()
}

// Checked reports whether a filter value is selected.
func (p *listPage) Checked(key, value string) bool {
	for _, s := range p.Form[key] {
		if s == value {
			return true
		}
	}
	return false
}

// Get is a form value.
func (p *listPage) Get(key string) string { return p.Form.Get(key) }

// list runs a listing for the page; scope adds a fixed filter (a tag, a creator).
func (srv *Server) list(w http.ResponseWriter, r *http.Request, heading, intro string, scope func(*listing.Query)) error {
	v := r.URL.Query()
	p := &listPage{Heading: heading, Intro: intro, Action: r.URL.Path, Form: v, base: url.Values{}, Sorts: listing.Sorts}
	for k, vals := range v {
		if k != "page" {
			p.base[k] = vals
		}
	}
	q, err := listing.ParseValues(v)
	var res *site.Listing
	if err == nil {
		if scope != nil {
			scope(&q)
		}
		res, err = srv.site.Search(r.Context(), currentUser(r), q, v.Get("q"))
	}
	if err != nil {
		status, _, msg := classifyPageErr(err)
		if status >= 500 {
			return err
		}
		p.Groups = p.groups()
		srv.render(w, r, status, "works", pageData{Title: heading, Errors: []string{msg}, P: p})
		return nil
	}
	p.Works, p.Total, p.Page, p.Facets = res.Works, res.Total, res.Page, res.Facets
	if p.Blurbs, err = srv.blurbs.render(srv.pages.sets["works"], res.Works); err != nil {
		return err
	}
	p.LastPage = (res.Total + res.PerPage - 1) / res.PerPage
	p.Groups = p.groups()
	srv.render(w, r, http.StatusOK, "works", pageData{Title: heading, P: p})
	return nil
}

func classifyPageErr(err error) (int, string, string) {
	var ut *listing.UnknownTagError
	var ve *archive.ValidationError
	switch {
	case errors.As(err, &ut):
		return http.StatusUnprocessableEntity, "unknown_tag", ut.Error() + ". Check the spelling, or pick a tag from the list."
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity, "invalid", ve.Error()
	}
	return http.StatusInternalServerError, "internal", "something went wrong"
}

func (srv *Server) home(w http.ResponseWriter, r *http.Request) error {
	res, err := srv.site.Search(r.Context(), currentUser(r), listing.Query{PerPage: 10}, "")
	if err != nil {
		return err
	}
	news, err := srv.site.LatestNews(r.Context(), homeNews)
	if err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "home", pageData{P: homePage{Listing: res, News: news}})
	return nil
}

func (srv *Server) worksIndex(w http.ResponseWriter, r *http.Request) error {
	return srv.list(w, r, "Works", "", nil)
}

func (srv *Server) tagWorks(w http.ResponseWriter, r *http.Request) error {
	name := tagFromPath(r)
	return srv.list(w, r, "Works in "+name, "", func(q *listing.Query) {
		q.Include = append(q.Include, listing.TagRef{Name: name})
	})
}

func (srv *Server) userWorks(w http.ResponseWriter, r *http.Request) error {
	u, err := srv.site.User(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	return srv.list(w, r, "Works by "+u.Name, "", func(q *listing.Query) { q.CreatorUserID = u.ID })
}

// tagFromPath decodes a tag name from its AO3-escaped URL segment.
func tagFromPath(r *http.Request) string {
	return archive.UnescapeTagURL(r.PathValue("name"))
}
