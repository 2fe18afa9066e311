package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"quire/internal/archive"
	"quire/internal/i18n"
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
	// Failed is set when the parameters were refused: there is no count.
	Failed bool
	// LoggedIn readers get their own filters and "Hide this work".
	LoggedIn bool
	// Languages are the languages of the works the reader may see.
	Languages []site.LanguageChoice
	// JustHidden is the work the reader just hid from this page (the undo).
	JustHidden int64
	// PastEnd is set when the page asked for lies beyond the last one.
	PastEnd bool
	// Save is the listing's parameters as "Save this search" posts them
	// (nil: not offered); Default is the reader's default search when
	// /works opened it.
	Save    url.Values
	CanSave bool
	Default *site.SavedSearch
	base    url.Values
}

// SaveFields is Save as sorted hidden fields.
func (p *listPage) SaveFields() [][2]string {
	var out [][2]string
	for k, vals := range p.Save {
		for _, v := range vals {
			out = append(out, [2]string{k, v})
		}
	}
	slices.SortFunc(out, func(a, b [2]string) int { return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1]) })
	return out
}

// Hidden is the listing's parameters but the page, for the jump-to-page form.
func (p *listPage) Hidden() [][2]string {
	var out [][2]string
	for k, vals := range p.base {
		for _, v := range vals {
			out = append(out, [2]string{k, v})
		}
	}
	slices.SortFunc(out, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	return out
}

// groups prints the sidebar's checkboxes: the fixed vocabularies, then the
// facets of every free type. A listing shows some sixty pairs of them, and
// a template range over them cost more than the rest of the page together
// (each action a reflective call and an escaper), so they are written here,
// every value escaped.
func (p *listPage) groups(l *i18n.Locale) template.HTML {
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
		b.WriteString(`" class="exclude">`)
		esc(l.T("exclude"))
		b.WriteString(`<span class="visually-hidden"> `)
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
		t           archive.TagType
		vocab       []string
	}{{"Ratings", "rating", archive.TypeRating, archive.Ratings}, {"Archive warnings", "warning", archive.TypeWarning, archive.Warnings}, {"Categories", "category", archive.TypeCategory, archive.Categories}} {
		counts := map[string]int{}
		for _, fc := range p.Facets[f.t] {
			counts[fc.Name] = fc.Count
		}
		group(l.T(f.legend), func() {
			for i, v := range f.vocab {
				label := l.T(v)
				if p.Facets != nil {
					label += " (" + l.Num(int64(counts[v])) + ")"
				}
				box(f.key, i, v, label)
			}
		})
	}
	for _, t := range archive.FreeTagTypes {
		fs := p.Facets[t]
		// Every active include and exclude of this type stays in the form,
		// ticked, whether or not the facets name it: an excluded tag has
		// no works in the result, so it never does (AO3 keeps them too).
		extra := p.activeBeyond(string(t), fs)
		if len(fs) == 0 && len(extra) == 0 {
			continue
		}
		group(l.T(t.Label()), func() {
			for i, f := range fs {
				box(string(t), i, f.Name, f.Name+" ("+l.Num(int64(f.Count))+")")
			}
			for i, name := range extra {
				box(string(t), len(fs)+i, name, name)
			}
		})
	}
	return template.HTML(b.String()) // every value above is escaped
}

// activeBeyond lists the names the form includes or excludes for key that
// the facets fs do not offer, in the order the form gives them.
func (p *listPage) activeBeyond(key string, fs []listing.Facet) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range fs {
		seen[strings.ToLower(f.Name)] = true
	}
	for _, k := range []string{key, "exclude_" + key} {
		for _, raw := range p.Form[k] {
			for _, name := range strings.Split(raw, ",") {
				name = strings.TrimSpace(name)
				if name == "" || seen[strings.ToLower(name)] {
					continue
				}
				seen[strings.ToLower(name)] = true
				out = append(out, name)
			}
		}
	}
	return out
}

// Joined is every value of a repeatable parameter, comma-separated, for a
// text field that must keep them all.
func (p *listPage) Joined(key string) string {
	var out []string
	for _, raw := range p.Form[key] {
		for _, name := range strings.Split(raw, ",") {
			if name = strings.TrimSpace(name); name != "" {
				out = append(out, name)
			}
		}
	}
	if len(out) == 0 {
		return ""
	}
	// The trailing separator leaves the caret ready for the next name, as
	// the autocomplete expects.
	return strings.Join(out, ", ") + ", "
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
	for _, raw := range p.Form[key] {
		for _, s := range strings.Split(raw, ",") {
			if strings.EqualFold(strings.TrimSpace(s), value) {
				return true
			}
		}
	}
	return false
}

// LanguageChosen reports whether the form's language (a name or a code) is code.
func (p *listPage) LanguageChosen(code string) bool {
	l, ok := archive.ParseLanguage(p.Form.Get("language"))
	return ok && strings.EqualFold(l, code)
}

// Active counts the filters in force (not the sort, order, page or q).
func (p *listPage) Active() int {
	n := 0
	for k, vals := range p.Form {
		switch k {
		case "sort", "order", "page", "per_page", "q":
			continue
		}
		for _, raw := range vals {
			for _, s := range strings.Split(raw, ",") {
				if strings.TrimSpace(s) != "" {
					n++
				}
			}
		}
	}
	return n
}

// Get is a form value.
func (p *listPage) Get(key string) string { return p.Form.Get(key) }

// list runs a listing for the page; scope adds a fixed filter (a tag, a creator).
func (srv *Server) list(w http.ResponseWriter, r *http.Request, heading, intro string, scope func(*listing.Query)) error {
	v := r.URL.Query()
	p := &listPage{Heading: heading, Intro: intro, Action: r.URL.Path, Form: v, base: url.Values{}, Sorts: listing.Sorts}
	for k, vals := range v {
		if k != "page" && k != "hidden" {
			p.base[k] = vals
		}
	}
	u := currentUser(r)
	p.LoggedIn = u != nil
	p.Languages = srv.site.Languages(u)
	if u != nil {
		// Just hidden from this page: say so, with the undo.
		if id, err := strconv.ParseInt(v.Get("hidden"), 10, 64); err == nil && id > 0 {
			p.JustHidden = id
		}
		p.Save = saveParams(r, v)
		p.CanSave = p.Save != nil
		if id, err := strconv.ParseInt(v.Get("default"), 10, 64); err == nil && id > 0 {
			p.Default, _ = srv.site.GetSavedSearch(r.Context(), u, id)
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
		p.Failed = true
		p.Groups = p.groups(srv.readerOf(r).loc)
		srv.render(w, r, status, "works", pageData{Title: heading, Errors: []string{msg}, P: p})
		return nil
	}
	p.Works, p.Total, p.Page, p.Facets = res.Works, res.Total, res.Page, res.Facets
	if p.Blurbs, err = srv.renderBlurbs(r, "works", res.Works); err != nil {
		return err
	}
	if u != nil {
		p.Blurbs = withHideButtons(p.Blurbs, res.Works, p.Action+"?"+p.base.Encode())
	}
	p.LastPage = (res.Total + res.PerPage - 1) / res.PerPage
	p.PastEnd = res.Total > 0 && res.Page > p.LastPage
	p.Groups = p.groups(srv.readerOf(r).loc)
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
	if srv.defaultSearch(w, r) {
		return nil
	}
	return srv.list(w, r, srv.tr(r, "Works"), "", nil)
}

func (srv *Server) tagWorks(w http.ResponseWriter, r *http.Request) error {
	name := tagFromPath(r)
	return srv.list(w, r, srv.tr(r, "Works in {0}", name), "", func(q *listing.Query) {
		q.Include = append(q.Include, listing.TagRef{Name: name})
	})
}

func (srv *Server) userWorks(w http.ResponseWriter, r *http.Request) error {
	u, err := srv.site.User(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	return srv.list(w, r, srv.tr(r, "Works by {0}", u.Name), "", func(q *listing.Query) { q.CreatorUserID = u.ID })
}

// tagFromPath decodes a tag name from its AO3-escaped URL segment.
func tagFromPath(r *http.Request) string {
	return archive.UnescapeTagURL(r.PathValue("name"))
}

// readerActions marks, in a cached blurb, where a logged-in reader's own
// buttons go: the blurb is the same for every reader, the buttons are not.
const readerActions = `<div class="reader-actions"></div>`

// withHideButtons puts "Hide this work" into each blurb, returning to back.
func withHideButtons(blurbs []template.HTML, works []*archive.Work, back string) []template.HTML {
	out := make([]template.HTML, len(blurbs))
	for i, bl := range blurbs {
		var b strings.Builder
		b.WriteString(`<div class="reader-actions"><form class="inline" method="post" action="/account/hidden"><input type="hidden" name="work_id" value="`)
		b.WriteString(strconv.FormatInt(works[i].ID, 10))
		b.WriteString(`"><input type="hidden" name="return_to" value="`)
		escapeTo(&b, back)
		b.WriteString(`"><button type="submit" class="link">Hide this work<span class="visually-hidden">: `)
		escapeTo(&b, works[i].Title)
		b.WriteString(`</span></button></form></div>`)
		out[i] = template.HTML(strings.Replace(string(bl), readerActions, b.String(), 1)) // every value above is escaped
	}
	return out
}
