package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"quire/internal/archive"
	"quire/internal/site"
)

// tagPage shows one tag and its wrangling.
type tagPage struct {
	Tag        *site.TagInfo
	CanWrangle bool
}

// tagTypeParam reads an optional ?type= that picks among tags of the same
// name in several types.
func tagTypeParam(r *http.Request) (archive.TagType, error) {
	s := strings.TrimSpace(r.URL.Query().Get("type"))
	if s == "" {
		return "", nil
	}
	t, ok := archive.ParseTagType(s)
	if !ok {
		return "", archive.ErrNotFound
	}
	return t, nil
}

func (srv *Server) showTag(w http.ResponseWriter, r *http.Request) error {
	t, err := tagTypeParam(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	info, err := srv.site.TagInfo(r.Context(), u, t, tagFromPath(r))
	if err != nil {
		return err
	}
	title := info.Name
	if archive.IsFixedTag(title) { // a rating or warning reads in the reader's language
		title = srv.tr(r, title)
	}
	srv.render(w, r, http.StatusOK, "tag", pageData{Title: title, P: &tagPage{Tag: info, CanWrangle: site.CanWrangle(u)}})
	return nil
}

// tagEditPage is the wrangling form, holding what the wrangler typed.
type tagEditPage struct {
	Tag          *site.TagInfo
	Canonical    bool
	SynonymOf    string
	MetaAdd      string
	ParentAdd    string
	MetaRemove   map[string]bool
	ParentRemove map[string]bool
	Media        string
}

// Media are the choices of a fandom's medium.
func (p *tagEditPage) MediaChoices() []string { return archive.Media }

// Action is where the form posts (the type keeps same-named tags apart).
func (p *tagEditPage) Action() string { return tagPath(p.Tag) + "/edit?type=" + string(p.Tag.Type) }

// Back is the tag's page.
func (p *tagEditPage) Back() string { return tagPath(p.Tag) + "?type=" + string(p.Tag.Type) }

func tagPath(t *site.TagInfo) string { return "/tags/" + url.PathEscape(archive.EscapeTagURL(t.Name)) }

// wranglerTag loads the tag a wrangling page is about, failing the request
// for guests (to the login page), readers (403) and unknown tags (404).
func (srv *Server) wranglerTag(r *http.Request) (*site.TagInfo, error) {
	u := currentUser(r)
	if u == nil {
		return nil, archive.ErrAuth
	}
	t, err := tagTypeParam(r)
	if err != nil {
		return nil, err
	}
	info, err := srv.site.TagInfo(r.Context(), u, t, tagFromPath(r))
	if err != nil {
		return nil, err
	}
	if !site.CanWrangle(u) {
		return nil, archive.ErrForbidden
	}
	return info, nil
}

func (srv *Server) editTagForm(w http.ResponseWriter, r *http.Request) error {
	info, err := srv.wranglerTag(r)
	if err != nil {
		return err
	}
	p := &tagEditPage{Tag: info, Canonical: info.Canonical, SynonymOf: info.SynonymOf, Media: info.Media, MetaRemove: map[string]bool{}, ParentRemove: map[string]bool{}}
	srv.render(w, r, http.StatusOK, "tag_edit", pageData{Title: "Edit " + info.Name, P: p})
	return nil
}

func (srv *Server) updateTag(w http.ResponseWriter, r *http.Request) error {
	info, err := srv.wranglerTag(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return srv.invalid(w, r, err, "tag_edit", "Edit "+info.Name, &tagEditPage{Tag: info})
	}
	f := r.PostForm
	p := &tagEditPage{Tag: info, Canonical: f.Get("canonical") != "", SynonymOf: strings.TrimSpace(f.Get("synonym_of")),
		MetaAdd: f.Get("meta_add"), ParentAdd: f.Get("parent_add"), MetaRemove: map[string]bool{}, ParentRemove: map[string]bool{}}
	for _, m := range f["meta_remove"] {
		p.MetaRemove[m] = true
	}
	for _, m := range f["parent_remove"] {
		p.ParentRemove[m] = true
	}
	// The form shows every field with its current value, so what it sends is
	// the whole intended state; a field it didn't show changes nothing.
	var c site.TagChange
	if f.Has("canonical_shown") {
		c.Canonical = &p.Canonical
	}
	if f.Has("synonym_of") {
		c.SynonymOf = &p.SynonymOf
	}
	if f.Has("media") {
		p.Media = strings.TrimSpace(f.Get("media"))
		c.Media = &p.Media
	}
	c.MetaAdd, c.MetaRemove = archive.SplitTagList(p.MetaAdd), f["meta_remove"]
	c.ParentAdd, c.ParentRemove = archive.SplitTagList(p.ParentAdd), f["parent_remove"]
	after, err := srv.site.Wrangle(r.Context(), currentUser(r), info.Type, info.Name, c)
	if err != nil {
		var ve *archive.ValidationError
		if errors.As(err, &ve) {
			srv.render(w, r, http.StatusUnprocessableEntity, "tag_edit", pageData{Title: "Edit " + info.Name, Errors: []string{humanField(srv.readerOf(r).loc, &archive.ValidationError{Message: ve.Message, Key: ve.Key, Args: ve.Args})}, P: p})
			return nil
		}
		return srv.invalid(w, r, err, "tag_edit", "Edit "+info.Name, p)
	}
	http.Redirect(w, r, tagPath(after)+"?type="+string(after.Type), http.StatusSeeOther)
	return nil
}

// unwrangledPage lists tags nobody has wrangled yet.
type unwrangledPage struct {
	*site.UnwrangledPage
	Query string // what was typed in the fandom field
}

// URL links to another page of the same list.
func (p *unwrangledPage) URL(page int) string {
	v := url.Values{}
	if p.Query != "" {
		v.Set("fandom", p.Query)
	}
	v.Set("page", strconv.Itoa(page))
	return "/tags/unwrangled?" + v.Encode()
}

// EditURL is a tag's wrangling form.
func (p *unwrangledPage) EditURL(t site.UnwrangledTag) string {
	return "/tags/" + url.PathEscape(archive.EscapeTagURL(t.Name)) + "/edit?type=" + string(t.Type)
}

func (srv *Server) unwrangledTags(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if !site.CanWrangle(u) {
		return archive.ErrForbidden
	}
	q := r.URL.Query()
	p := &unwrangledPage{Query: strings.TrimSpace(q.Get("fandom")), UnwrangledPage: &site.UnwrangledPage{PerPage: site.UnwrangledPerPage, Page: 1}}
	page := 1
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			srv.render(w, r, http.StatusUnprocessableEntity, "unwrangled", pageData{Title: "Unwrangled tags", Errors: []string{"Page must be a whole number of 1 or more."}, P: p})
			return nil
		}
		page = n
	}
	res, err := srv.site.UnwrangledTags(r.Context(), u, p.Query, page)
	if err != nil {
		var ve *archive.ValidationError
		if errors.As(err, &ve) {
			srv.render(w, r, http.StatusUnprocessableEntity, "unwrangled", pageData{Title: "Unwrangled tags", Errors: []string{humanField(srv.readerOf(r).loc, &archive.ValidationError{Message: ve.Message, Key: ve.Key, Args: ve.Args})}, P: p})
			return nil
		}
		return err
	}
	p.UnwrangledPage = res
	srv.render(w, r, http.StatusOK, "unwrangled", pageData{Title: "Unwrangled tags", P: p})
	return nil
}
