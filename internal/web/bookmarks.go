package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"quire/internal/archive"
	"quire/internal/site"
)

// bookmarksPage is one page of a user's bookmarks.
type bookmarksPage struct {
	*site.BookmarkList
	Items      []bookmarkRow
	LastPage   int
	Gone       string
	SeriesGone string
	action     string
}

// bookmarkRow is one bookmark with its work's blurb (empty when the work
// is gone or not available to the reader).
type bookmarkRow struct {
	site.BookmarkItem
	Blurb template.HTML
}

// URL links to another page of the list.
func (p *bookmarksPage) URL(page int) string {
	v := url.Values{"page": {strconv.Itoa(page)}}
	if p.PerPage != 20 {
		v.Set("per_page", strconv.Itoa(p.PerPage))
	}
	return p.action + "?" + v.Encode()
}

func (srv *Server) userBookmarks(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, err := site.PageParam("page", q.Get("page"))
	if err != nil {
		return err
	}
	perPage, err := site.PageParam("per_page", q.Get("per_page"))
	if err != nil {
		return err
	}
	l, err := srv.site.UserBookmarks(r.Context(), currentUser(r), r.PathValue("name"), page, perPage)
	if err != nil {
		return err
	}
	p := &bookmarksPage{BookmarkList: l, Gone: site.GoneMessage, SeriesGone: site.SeriesGoneMessage, action: r.URL.Path,
		LastPage: (l.Total + l.PerPage - 1) / l.PerPage}
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
		row := bookmarkRow{BookmarkItem: it}
		if it.Work != nil {
			row.Blurb, blurbs = blurbs[0], blurbs[1:]
		}
		p.Items = append(p.Items, row)
	}
	srv.render(w, r, http.StatusOK, "bookmarks", pageData{Title: "Bookmarks by " + l.Owner.Name, P: p})
	return nil
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
	srv.render(w, r, http.StatusOK, "bookmark_form", pageData{Title: "Bookmark " + work.Title,
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
		srv.render(w, r, http.StatusConflict, "bookmark_form", pageData{Title: "Bookmark " + work.Title,
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
	srv.render(w, r, http.StatusOK, "work_bookmarks", pageData{Title: "Bookmarks of " + l.Work.Title, P: p})
	return nil
}
