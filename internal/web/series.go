package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"quire/internal/archive"
	"quire/internal/site"
)

// seriesPage is a series with its visible works as blurbs, in order.
type seriesPage struct {
	S     *site.SeriesView
	Parts []seriesPart
	// Mine are the viewer's works not in the series yet (for the add form).
	Mine []seriesOption
	// Bookmarks counts the series' public bookmarks the viewer sees;
	// BookmarkID is the viewer's own bookmark of it (0: none).
	Bookmarks  int64
	BookmarkID int64
	// Subscribed: the viewer follows this series.
	Subscribed bool
}

type seriesPart struct {
	Position int
	WorkID   int64
	Blurb    template.HTML
}

// seriesOption is a series or work to pick in a form.
type seriesOption struct {
	ID    int64
	Title string
}

// seriesForm is the new/edit series form.
type seriesForm struct {
	Edit   bool
	ID     int64
	V      map[string]string
	Pseuds []archive.Pseud
}

// GET /series/{id}
func (srv *Server) showSeries(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u := currentUser(r)
	v, err := srv.site.Series(r.Context(), u, id)
	if err != nil {
		return err
	}
	works := make([]*archive.Work, 0, len(v.Visible))
	for _, sw := range v.Visible {
		works = append(works, sw.Work)
	}
	blurbs, err := srv.renderBlurbs(r, "series", works)
	if err != nil {
		return err
	}
	p := &seriesPage{S: v, Subscribed: srv.site.IsSubscribed(r.Context(), u, "series", v.ID)}
	if p.Bookmarks, err = srv.site.SeriesBookmarkCount(r.Context(), u, id); err != nil {
		return err
	}
	if u != nil {
		if b, err := srv.site.SeriesBookmarkOf(r.Context(), u, id); err == nil {
			p.BookmarkID = b.ID
		}
	}
	for i, sw := range v.Visible {
		p.Parts = append(p.Parts, seriesPart{Position: sw.Position, WorkID: sw.Work.ID, Blurb: blurbs[i]})
	}
	if v.CanEdit && u != nil {
		in := map[int64]bool{}
		for _, e := range v.Works {
			in[e.WorkID] = true
		}
		own, err := srv.site.OwnWorks(r.Context(), u)
		if err != nil {
			return err
		}
		var mine []*archive.Work
		for _, m := range own {
			if !in[m.ID] {
				mine = append(mine, m)
			}
		}
		for _, m := range mine {
			p.Mine = append(p.Mine, seriesOption{ID: m.ID, Title: m.Title})
		}
	}
	srv.render(w, r, http.StatusOK, "series", pageData{Title: v.Title, P: p})
	return nil
}

func (srv *Server) newSeriesFormData(r *http.Request, u *archive.User, f *seriesForm) *seriesForm {
	if ps, err := srv.site.Pseuds(r.Context(), u.ID); err == nil {
		f.Pseuds = ps
	}
	return f
}

// GET /series/new
func (srv *Server) newSeriesForm(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	srv.render(w, r, http.StatusOK, "series_form", pageData{Title: "New series", P: srv.newSeriesFormData(r, u, &seriesForm{V: map[string]string{}})})
	return nil
}

func seriesFormFromRequest(r *http.Request) (*seriesForm, site.SeriesInput) {
	f := &seriesForm{V: map[string]string{}}
	for k := range r.PostForm {
		f.V[k] = r.PostForm.Get(k)
	}
	in := site.SeriesInput{Title: f.V["title"], Summary: f.V["summary"], Notes: f.V["notes"], Complete: f.V["complete"] != "", Pseud: f.V["pseud"]}
	return f, in
}

// POST /series
func (srv *Server) createSeries(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f, in := seriesFormFromRequest(r)
	sr, err := srv.site.CreateSeries(r.Context(), u, in)
	if err != nil {
		return srv.invalid(w, r, err, "series_form", "New series", srv.newSeriesFormData(r, u, f))
	}
	http.Redirect(w, r, "/series/"+strconv.FormatInt(sr.ID, 10), http.StatusSeeOther)
	return nil
}

// GET /series/{id}/edit
func (srv *Server) editSeriesForm(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := srv.site.Series(r.Context(), u, id)
	if err == nil && !v.CanEdit {
		err = archive.ErrForbidden
	}
	if err != nil {
		return err
	}
	f := &seriesForm{Edit: true, ID: id, V: map[string]string{"title": v.Title, "summary": v.Summary.Source, "notes": v.Notes.Source}}
	if v.Complete {
		f.V["complete"] = "1"
	}
	srv.render(w, r, http.StatusOK, "series_form", pageData{Title: srv.tr(r, "Edit {0}", v.Title), P: f})
	return nil
}

// POST /series/{id}/edit
func (srv *Server) updateSeries(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f, in := seriesFormFromRequest(r)
	f.Edit, f.ID = true, id
	if _, err := srv.site.EditSeries(r.Context(), u, id, in); err != nil {
		return srv.invalid(w, r, err, "series_form", "Edit series", f)
	}
	http.Redirect(w, r, "/series/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// POST /series/{id}/delete
func (srv *Server) deleteSeries(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := srv.site.DeleteSeries(r.Context(), u, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/users/"+u.Name, http.StatusSeeOther)
	return nil
}

// POST /series/{id}/works: work_id and an optional position.
func (srv *Server) addSeriesWork(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	wid, err := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get("work_id")), 10, 64)
	if err != nil || wid <= 0 {
		return archive.Invalid("work", "pick one of your works")
	}
	pos := 0
	if s := strings.TrimSpace(r.PostForm.Get("position")); s != "" {
		if pos, err = strconv.Atoi(s); err != nil || pos < 1 {
			return archive.Invalid("position", "must be a number of 1 or more, or blank for the end")
		}
	}
	if err := srv.site.AddToSeries(r.Context(), u, id, wid, pos); err != nil {
		return err
	}
	http.Redirect(w, r, "/series/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// POST /series/{id}/works/{work_id}/delete
func (srv *Server) removeSeriesWork(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	wid, err := pathID(r, "work_id")
	if err != nil {
		return err
	}
	if err := srv.site.RemoveFromSeries(r.Context(), u, id, wid); err != nil {
		return err
	}
	http.Redirect(w, r, "/series/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// workFormChoices fills the work form's pseud and series pickers for u
// (work is nil on a new work): pseuds only for the work's own creators.
func (srv *Server) workFormChoices(r *http.Request, f *workForm, work *archive.Work) *workForm {
	u := currentUser(r)
	if u == nil {
		return f
	}
	ctx := r.Context()
	srv.relatedFormRows(r, f, work)
	srv.claimFormRows(r, f, work)
	if work == nil || work.HasCreatorUser(u.ID) {
		if ps, err := srv.site.Pseuds(ctx, u.ID); err == nil {
			f.Pseuds = ps
		}
		if work != nil && f.V["pseud"] == "" {
			for _, c := range work.Creators {
				if c.UserID == u.ID {
					f.V["pseud"] = c.Pseud
					break
				}
			}
		}
	}
	if work != nil {
		f.Invited, _ = srv.site.WorkInvitations(ctx, u, work)
		if work.HasCreatorUser(u.ID) {
			for _, c := range work.Creators {
				if c.UserID != u.ID {
					f.CanLeave = true
				}
			}
		}
	}
	if ss, err := srv.site.UserSeries(ctx, u, u); err == nil {
		for _, s := range ss {
			f.Series = append(f.Series, seriesOption{ID: s.ID, Title: s.Title})
		}
	}
	return f
}

// addToSeriesFromForm puts a just saved work into the series the form
// picked (at the end), unless it is there already.
func (srv *Server) addToSeriesFromForm(r *http.Request, workID int64) error {
	s := strings.TrimSpace(r.PostForm.Get("series_id"))
	if s == "" || s == "0" {
		return nil
	}
	sid, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return archive.Invalid("series", "pick one of your series")
	}
	refs, err := srv.site.SeriesRefs(r.Context(), []int64{workID})
	if err != nil {
		return err
	}
	for _, ref := range refs[workID] {
		if ref.ID == sid {
			return nil
		}
	}
	return srv.site.AddToSeries(r.Context(), currentUser(r), sid, workID, 0)
}
