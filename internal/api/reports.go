package api

import (
	"net/http"
	"time"

	"quire/internal/archive"
	"quire/internal/site"
)

type reportInputJSON struct {
	Target  string `json:"target"`
	Reason  string `json:"reason"`
	Details string `json:"details"`
	Email   string `json:"email"`
}

type reportNoteJSON struct {
	By   string `json:"by"`
	Text string `json:"text"`
	At   string `json:"at"`
}

type reportJSON struct {
	ID       int64                  `json:"id"`
	Target   string                 `json:"target"`
	Reason   string                 `json:"reason"`
	Details  string                 `json:"details"`
	State    string                 `json:"state"`
	Snapshot archive.ReportSnapshot `json:"snapshot"`
	// Reporter is the reporting account's name; null for a guest (or a
	// deleted account).
	Reporter *string `json:"reporter"`
	// ReporterEmail is shown to admins only.
	ReporterEmail string           `json:"reporter_email,omitempty"`
	Count         int              `json:"count"`
	Assignee      *string          `json:"assignee"`
	Notes         []reportNoteJSON `json:"notes"`
	CreatedAt     string           `json:"created_at"`
	UpdatedAt     string           `json:"updated_at"`
}

func reportOut(r *archive.Report) reportJSON {
	out := reportJSON{ID: r.ID, Target: r.Target.String(), Reason: r.Reason, Details: r.Details, State: r.State,
		Snapshot: r.Snapshot, ReporterEmail: r.ReporterEmail, Count: r.Count, Notes: []reportNoteJSON{},
		CreatedAt: r.CreatedAt.UTC().Format(time.RFC3339), UpdatedAt: r.UpdatedAt.UTC().Format(time.RFC3339)}
	if r.ReporterName != "" {
		out.Reporter = &r.ReporterName
	}
	if r.AssigneeName != "" {
		out.Assignee = &r.AssigneeName
	}
	for _, n := range r.Notes {
		out.Notes = append(out.Notes, reportNoteJSON{By: n.Author, Text: n.Text, At: n.At.UTC().Format(time.RFC3339)})
	}
	return out
}

// POST /api/v1/reports — a reader's report, by token or as a guest.
func (a *server) fileReport(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	var in reportInputJSON
	if _, err := a.readJSON(w, r, &in); err != nil {
		return err
	}
	rep, err := a.site.FileReport(r.Context(), a.visitor(r, u), site.ReportInput{Target: in.Target, Reason: in.Reason, Details: in.Details, Email: in.Email})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]int64{"id": rep.ID})
	return nil
}

// GET /api/v1/admin/reports?state=open|resolved|dismissed|all&reason=…&target=KIND:ID&reporter=NAME&page=&per_page=
// pages by target: per_page targets (50 by default, at most 100), each
// with every report of it the query selects.
func (a *server) listReports(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := site.ReportsAccess(u); err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := site.PageParam("page", q.Get("page"))
	if err != nil {
		return err
	}
	perPage, err := site.PageParam("per_page", q.Get("per_page"))
	if err != nil {
		return err
	}
	p, err := a.site.Reports(r.Context(), u, site.ReportQuery{State: q.Get("state"), Reason: q.Get("reason"),
		Target: q.Get("target"), Reporter: q.Get("reporter"), Page: page, PerPage: perPage})
	if err != nil {
		return err
	}
	out := make([]reportJSON, 0, len(p.Reports))
	for _, rep := range p.Reports {
		out = append(out, reportOut(rep))
	}
	writeJSON(w, http.StatusOK, map[string]any{"reports": out, "targets": p.Targets, "page": p.Page, "per_page": p.PerPage})
	return nil
}

// GET /api/v1/admin/reports/{id}
func (a *server) getReport(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rep, err := a.site.Report(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, reportOut(rep))
	return nil
}

// PATCH /api/v1/admin/reports/{id} {"state","note","assignee"} (assignee
// null or "" unassigns).
func (a *server) patchReport(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := site.ReportsAccess(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		State    *string `json:"state"`
		Note     string  `json:"note"`
		Assignee *string `json:"assignee"`
	}
	present, err := a.readJSON(w, r, &in)
	if err != nil {
		return err
	}
	ch := site.ReportChange{State: in.State, Note: in.Note, Assignee: in.Assignee}
	if present["assignee"] && in.Assignee == nil {
		none := ""
		ch.Assignee = &none
	}
	rep, err := a.site.UpdateReport(r.Context(), u, id, ch)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, reportOut(rep))
	return nil
}
