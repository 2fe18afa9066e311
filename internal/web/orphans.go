package web

import (
	"net/http"
	"net/url"
	"strconv"

	"quire/internal/archive"
	"quire/internal/site"
)

// orphanPage is the orphaning page: a choice of works and series, or the
// confirmation of a choice (Plan).
type orphanPage struct {
	Plan      *site.OrphanPlan
	Works     []*archive.Work
	Series    []*site.SeriesView
	Req       site.OrphanRequest
	KeepPseud bool
}

// orphanRequest reads work_id, series_id, all and keep_pseud from a form
// or query.
func orphanRequest(v url.Values) (site.OrphanRequest, error) {
	req := site.OrphanRequest{All: v.Get("all") == "1", KeepPseud: v.Get("keep_pseud") == "1"}
	for _, s := range v["work_id"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return req, archive.Invalid("work_id", "%q is not a work id", s)
		}
		req.WorkIDs = append(req.WorkIDs, id)
	}
	for _, s := range v["series_id"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return req, archive.Invalid("series_id", "%q is not a series id", s)
		}
		req.SeriesIDs = append(req.SeriesIDs, id)
	}
	return req, nil
}

// ownAccount checks that the path names the logged-in user.
func ownAccount(r *http.Request, u *archive.User) error {
	if r.PathValue("name") != u.Name {
		return archive.ErrForbidden
	}
	return nil
}

// GET /users/{name}/orphan: without a selection, the choice; with one
// (work_id, series_id or all=1 in the query), the confirmation.
func (srv *Server) orphanForm(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := ownAccount(r, u); err != nil {
		return err
	}
	req, err := orphanRequest(r.URL.Query())
	p := &orphanPage{Req: req}
	if err == nil && (req.All || len(req.WorkIDs) > 0 || len(req.SeriesIDs) > 0) {
		if p.Plan, err = srv.site.PlanOrphans(r.Context(), u, req); err == nil {
			srv.render(w, r, http.StatusOK, "orphan", pageData{Title: "Orphan works", P: p})
			return nil
		}
	}
	p.Works, p.Series, _ = srv.site.OrphanChoices(r.Context(), u)
	if err != nil {
		return srv.invalid(w, r, err, "orphan", "Orphan works", p)
	}
	srv.render(w, r, http.StatusOK, "orphan", pageData{Title: "Orphan works", P: p})
	return nil
}

// POST /users/{name}/orphan: carry out a confirmed choice.
func (srv *Server) orphan(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := ownAccount(r, u); err != nil {
		return err
	}
	err := r.ParseForm()
	var req site.OrphanRequest
	if err == nil {
		req, err = orphanRequest(r.PostForm)
	}
	var changed []int64
	if err == nil {
		changed, err = srv.site.Orphan(r.Context(), u, req)
	}
	if err != nil {
		p := &orphanPage{Req: req}
		p.Works, p.Series, _ = srv.site.OrphanChoices(r.Context(), u)
		return srv.invalid(w, r, err, "orphan", "Orphan works", p)
	}
	done := srv.readerOf(r).loc.N("{0} works were orphaned.", len(changed))
	srv.render(w, r, http.StatusOK, "orphan_done", pageData{Title: "Works orphaned", Message: done})
	return nil
}
