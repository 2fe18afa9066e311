package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"quire/internal/archive"
	"quire/internal/listing"
	"quire/internal/site"
)

// bookmarksPage is one page of a bookmark listing (/bookmarks, a tag's,
// a user's) with its filter sidebar.
type bookmarksPage struct {
	*site.BookmarkListing
	Heading    string
	Action     string
	Items      []bookmarkRow
	SeriesRows []bookmarkRow
	LastPage   int
	PastEnd    bool
	Failed     bool
	Gone       string
	SeriesGone string
	// Side is the works listing's sidebar state (the bookmarked works'
	// tags): its Groups are printed by the same code.
	Side  *listPage
	Sorts []string
	// OwnTags are the bookmarkers' own tags on offer, with the active ones
	// the facets do not name.
	OwnTags []listing.Facet
	base    url.Values
}

// bookmarkRow is one bookmark with its work's blurb (empty when the work
// is gone or not available to the reader).
type bookmarkRow struct {
	site.BookmarkItem
	Blurb template.HTML
	Mine  bool // the reader's own bookmark: edit and delete
}

// URL links to another page of the list.
func (p *bookmarksPage) URL(page int) string {
	v := url.Values{}
	for k, vals := range p.base {
		v[k] = vals
	}
	v.Set("page", strconv.Itoa(page))
	return p.Action + "?" + v.Encode()
}

// Hidden is the listing's parameters but the page, for the jump form.
func (p *bookmarksPage) Hidden() [][2]string { return p.Side.Hidden() }

// Get is a form value.
func (p *bookmarksPage) Get(key string) string { return p.Side.Form.Get(key) }

// Checked reports whether a filter value is selected.
func (p *bookmarksPage) Checked(key, value string) bool { return p.Side.Checked(key, value) }

// Joined is a repeatable parameter's values for a text field.
func (p *bookmarksPage) Joined(key string) string { return p.Side.Joined(key) }

// Active counts the filters in force.
func (p *bookmarksPage) Active() int { return p.Side.Active() }

// bookmarkScope fixes part of a bookmark listing: the heading and the
// site call (everything, a tag's, a user's).
type bookmarkScope func(q listing.BookmarkQuery, text string) (*site.BookmarkListing, error)

// bookmarkList renders a bookmark listing with its sidebar.
func (srv *Server) bookmarkList(w http.ResponseWriter, r *http.Request, heading string, run bookmarkScope) error {
	v := r.URL.Query()
	side := &listPage{Action: r.URL.Path, Form: v, base: url.Values{}}
	for k, vals := range v {
		if k != "page" {
			side.base[k] = vals
		}
	}
	u := currentUser(r)
	side.LoggedIn = u != nil
	p := &bookmarksPage{Heading: heading, Action: r.URL.Path, Side: side, Sorts: listing.BookmarkSorts,
		Gone: site.GoneMessage, SeriesGone: site.SeriesGoneMessage, base: side.base}
	q, err := listing.ParseBookmarkValues(v)
	var l *site.BookmarkListing
	if err == nil {
		l, err = run(q, v.Get("q"))
	}
	if err != nil {
		status, _, msg := classifyPageErr(err)
		if status >= 500 {
			return err
		}
		p.Failed = true
		p.BookmarkListing = &site.BookmarkListing{}
		side.Groups = side.groups(srv.readerOf(r).loc)
		p.OwnTags = p.ownTags(nil)
		srv.render(w, r, status, "bookmarks", pageData{Title: heading, Errors: []string{msg}, P: p})
		return nil
	}
	p.BookmarkListing = l
	side.Facets = l.Facets
	side.Groups = side.groups(srv.readerOf(r).loc)
	p.OwnTags = p.ownTags(l.BookmarkerTags)
	var works []*archive.Work
	for _, it := range l.Items {
		if it.Work != nil {
			works = append(works, it.Work)
		}
	}
	blurbs, err := srv.renderBlurbs(r, "bookmarks", works)
	if err != nil {
		return err
	}
	for _, it := range l.Items {
		row := bookmarkRow{BookmarkItem: it, Mine: u != nil && u.ID == it.Bookmark.UserID}
		if it.Work != nil {
			row.Blurb, blurbs = blurbs[0], blurbs[1:]
		}
		p.Items = append(p.Items, row)
	}
	for _, it := range l.Series {
		p.SeriesRows = append(p.SeriesRows, bookmarkRow{BookmarkItem: it, Mine: u != nil && u.ID == it.Bookmark.UserID})
	}
	p.LastPage = (l.Total + l.PerPage - 1) / l.PerPage
	p.PastEnd = l.Total > 0 && l.Page > p.LastPage
	srv.render(w, r, http.StatusOK, "bookmarks", pageData{Title: heading, P: p})
	return nil
}

// ownTags is the bookmarkers' tags the sidebar offers: the facets, then
// every active one they leave out, so an exclusion stays ticked.
func (p *bookmarksPage) ownTags(fs []listing.Facet) []listing.Facet {
	out := append([]listing.Facet(nil), fs...)
	for _, name := range p.Side.activeBeyond("bookmark_tag", fs) {
		out = append(out, listing.Facet{Name: name, Count: -1})
	}
	return out
}

// GET /bookmarks: every public bookmark the reader may see.
func (srv *Server) bookmarksIndex(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	return srv.bookmarkList(w, r, "Bookmarks", func(q listing.BookmarkQuery, text string) (*site.BookmarkListing, error) {
		return srv.site.ListBookmarks(r.Context(), u, q, text)
	})
}

// GET /tags/{name}/bookmarks: bookmarks of the works a filter on the tag matches.
func (srv *Server) tagBookmarks(w http.ResponseWriter, r *http.Request) error {
	u, name := currentUser(r), tagFromPath(r)
	return srv.bookmarkList(w, r, "Bookmarks in "+name, func(q listing.BookmarkQuery, text string) (*site.BookmarkListing, error) {
		return srv.site.TagBookmarks(r.Context(), u, name, q, text)
	})
}

// GET /users/{name}/bookmarks
func (srv *Server) userBookmarks(w http.ResponseWriter, r *http.Request) error {
	u, name := currentUser(r), r.PathValue("name")
	owner, err := srv.site.User(r.Context(), name)
	if err != nil {
		return err
	}
	return srv.bookmarkList(w, r, "Bookmarks by "+owner.Name, func(q listing.BookmarkQuery, text string) (*site.BookmarkListing, error) {
		return srv.site.UserBookmarks(r.Context(), u, owner.Name, q, text)
	})
}

// bookmarkForm is the new/edit bookmark form.
type bookmarkForm struct {
	Work     *archive.Work
	Series   *site.SeriesView  // a series bookmark's series, while the reader may see it
	Bookmark *archive.Bookmark // nil when new
	Action   string
	Values   formValues
}

func formOf(b *archive.Bookmark) formValues {
	v := formValues{"notes": b.Notes.Source, "notes_format": string(b.Notes.Format), "tags": joinTags(b.Tags)}
	if b.Rec {
		v["rec"] = "1"
	}
	if b.Private {
		v["private"] = "1"
	}
	return v
}

func joinTags(tags []string) string {
	s := ""
	for i, t := range tags {
		if i > 0 {
			s += ", "
		}
		s += t
	}
	return s
}

// inputOf reads the form into a bookmark input and the values to show again.
func inputOf(r *http.Request) (archive.BookmarkInput, formValues) {
	f := r.PostForm
	v := formValues{"notes": f.Get("notes"), "notes_format": f.Get("notes_format"), "tags": f.Get("tags"), "rec": f.Get("rec"), "private": f.Get("private")}
	in := archive.BookmarkInput{Notes: v["notes"], NotesFormat: archive.Format(v["notes_format"]),
		Tags: archive.SplitTagList(v["tags"]), Rec: v["rec"] != "", Private: v["private"] != ""}
	return in, v
}

func (srv *Server) newBookmarkForm(w http.ResponseWriter, r *http.Request) error {
	u, work, err := srv.readable(r)
	if err != nil {
		return err
	}
	id := work.ID
	if b, err := srv.site.BookmarkOf(r.Context(), u, id); err == nil {
		http.Redirect(w, r, "/bookmarks/"+strconv.FormatInt(b.ID, 10)+"/edit", http.StatusSeeOther)
		return nil
	} else if !errors.Is(err, archive.ErrNotFound) {
		return err
	}
	srv.render(w, r, http.StatusOK, "bookmark_form", pageData{Title: srv.tr(r, "Bookmark {0}", work.Title),
		P: &bookmarkForm{Work: work, Action: "/works/" + strconv.FormatInt(id, 10) + "/bookmarks", Values: formValues{}}})
	return nil
}

func (srv *Server) createBookmark(w http.ResponseWriter, r *http.Request) error {
	u, work, err := srv.readable(r)
	if err != nil {
		return err
	}
	id := work.ID
	form := &bookmarkForm{Work: work, Action: r.URL.Path, Values: formValues{}}
	if err := r.ParseForm(); err != nil {
		return srv.invalid(w, r, err, "bookmark_form", "Bookmark "+work.Title, form)
	}
	in, v := inputOf(r)
	in.WorkID = id
	form.Values = v
	b, err := srv.site.CreateBookmark(r.Context(), u, in)
	if errors.Is(err, archive.ErrConflict) {
		srv.render(w, r, http.StatusConflict, "bookmark_form", pageData{Title: srv.tr(r, "Bookmark {0}", work.Title),
			Errors: []string{"You have already bookmarked this work. Edit that bookmark instead."}, P: form})
		return nil
	}
	if err != nil {
		return srv.invalid(w, r, err, "bookmark_form", "Bookmark "+work.Title, form)
	}
	http.Redirect(w, r, "/users/"+url.PathEscape(u.Name)+"/bookmarks#bookmark_"+strconv.FormatInt(b.ID, 10), http.StatusSeeOther)
	return nil
}

// editableBookmark loads the bookmark in the path for its owner, with its
// work when the owner may still see it.
func (srv *Server) editableBookmark(r *http.Request) (*archive.User, *bookmarkForm, error) {
	u := currentUser(r)
	if u == nil {
		return nil, nil, archive.ErrAuth
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	b, err := srv.site.EditableBookmark(r.Context(), u, id)
	if err != nil {
		return nil, nil, err
	}
	form := &bookmarkForm{Bookmark: b, Action: "/bookmarks/" + strconv.FormatInt(id, 10) + "/edit", Values: formOf(b)}
	if b.WorkID != 0 {
		if work, err := srv.site.Work(r.Context(), u, b.WorkID); err == nil {
			form.Work = work
		}
	}
	if b.OfSeries && b.SeriesID != 0 {
		if v, err := srv.site.Series(r.Context(), u, b.SeriesID); err == nil {
			form.Series = v
		}
	}
	return u, form, nil
}

func (srv *Server) editBookmarkForm(w http.ResponseWriter, r *http.Request) error {
	_, form, err := srv.editableBookmark(r)
	if err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "bookmark_form", pageData{Title: "Edit bookmark", P: form})
	return nil
}

func (srv *Server) updateBookmark(w http.ResponseWriter, r *http.Request) error {
	u, form, err := srv.editableBookmark(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return srv.invalid(w, r, err, "bookmark_form", "Edit bookmark", form)
	}
	in, v := inputOf(r)
	form.Values = v
	if _, err := srv.site.UpdateBookmark(r.Context(), u, form.Bookmark.ID, in); err != nil {
		return srv.invalid(w, r, err, "bookmark_form", "Edit bookmark", form)
	}
	http.Redirect(w, r, "/users/"+url.PathEscape(u.Name)+"/bookmarks#bookmark_"+strconv.FormatInt(form.Bookmark.ID, 10), http.StatusSeeOther)
	return nil
}

func (srv *Server) deleteBookmark(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := srv.site.DeleteBookmark(r.Context(), u, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/users/"+url.PathEscape(u.Name)+"/bookmarks", http.StatusSeeOther)
	return nil
}

// workBookmarksPage is one page of a work's public bookmarks.
type workBookmarksPage struct {
	*site.WorkBookmarks
	LastPage int
	action   string
}

// URL links to another page of the list.
func (p *workBookmarksPage) URL(page int) string {
	return p.action + "?" + url.Values{"page": {strconv.Itoa(page)}}.Encode()
}

// GET /works/{id}/bookmarks: the work's public bookmarks ("Bookmarks: N" links here).
func (srv *Server) workBookmarks(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	page, err := site.PageParam("page", r.URL.Query().Get("page"))
	if err != nil {
		return err
	}
	l, err := srv.site.WorkBookmarks(r.Context(), currentUser(r), id, page, 0)
	if err != nil {
		return err
	}
	p := &workBookmarksPage{WorkBookmarks: l, action: r.URL.Path, LastPage: (l.Total + l.PerPage - 1) / l.PerPage}
	srv.render(w, r, http.StatusOK, "work_bookmarks", pageData{Title: srv.tr(r, "Bookmarks of {0}", l.Work.Title), P: p})
	return nil
}
