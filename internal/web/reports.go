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

// reportForm is the report page: what is reported and what was entered.
type reportForm struct {
	Target   string
	Snapshot archive.ReportSnapshot
	Reasons  []reasonChoice
	Values   formValues
}

type reasonChoice struct {
	Value, Label string
}

func reasonChoices() []reasonChoice {
	var out []reasonChoice
	for _, r := range archive.ReportReasons {
		out = append(out, reasonChoice{r, archive.ReasonLabel(r)})
	}
	return out
}

// GET /reports/new?target=KIND:ID
func (srv *Server) newReportForm(w http.ResponseWriter, r *http.Request) error {
	target := r.URL.Query().Get("target")
	form := &reportForm{Target: target, Reasons: reasonChoices(), Values: formValues{}}
	t, snap, err := srv.site.ReportTargetFor(r.Context(), currentUser(r), target)
	if err != nil {
		return srv.invalid(w, r, err, "report_form", "Report", form)
	}
	form.Target, form.Snapshot = t.String(), snap
	srv.render(w, r, http.StatusOK, "report_form", pageData{Title: "Report", P: form})
	return nil
}

// POST /reports
func (srv *Server) createReport(w http.ResponseWriter, r *http.Request) error {
	form := &reportForm{Reasons: reasonChoices(), Values: formValues{}}
	if err := r.ParseForm(); err != nil {
		return srv.invalid(w, r, err, "report_form", "Report", form)
	}
	form.Target = r.PostForm.Get("target")
	for _, k := range []string{"reason", "details", "email"} {
		form.Values[k] = r.PostForm.Get(k)
	}
	v := srv.visitor(w, r)
	_, err := srv.site.FileReport(r.Context(), v, site.ReportInput{Target: form.Target, Reason: r.PostForm.Get("reason"),
		Details: r.PostForm.Get("details"), Email: r.PostForm.Get("email"), Trap: r.PostForm.Get("website")})
	if err != nil {
		// The form comes back with what is being reported.
		if _, snap, terr := srv.site.ReportTargetFor(r.Context(), v.User, form.Target); terr == nil {
			form.Snapshot = snap
		}
		return srv.invalid(w, r, err, "report_form", "Report", form)
	}
	sent := msg("Thank you. Your report has been sent to the archive's moderators.")
	if v.User != nil || form.Values["email"] != "" {
		sent = msg("Thank you. Your report has been sent to the archive's moderators. We have mailed you an acknowledgement, and will write again when it has been handled.")
	}
	srv.render(w, r, http.StatusOK, "error", pageData{Title: "Report sent", P: sent})
	return nil
}

// reportGroup is one line of the queue: every listed report of a target,
// and what a moderator can do to it from here.
type reportGroup struct {
	Kind     string
	Target   string
	Snapshot archive.ReportSnapshot
	Reasons  []string
	Reports  []*archive.Report
	Open     int
	// State is the reported work's (a chapter's work's) or comment's state
	// now, for the hide and unhide buttons; nil when it is gone or the
	// target is another kind.
	State *site.TargetState
}

type reportsPage struct {
	State, Reason string
	// Target (KIND:ID, user:NAME) and Reporter (an account's name) narrow
	// the queue to one target's reports, or one account's.
	Target, Reporter string
	States           []string
	Reasons          []reasonChoice
	Groups           []*reportGroup
	Reports          int // on this page
	Targets          int // on every page
	Page, PerPage    int
	LastPage         int
	Admin            bool
	// Here is this page of the queue, where its forms come back to.
	Here string
}

// URL links to another page of the queue with the same filters.
func (p *reportsPage) URL(page int) string {
	return queueURL(p.State, p.Reason, page, p.Target, p.Reporter)
}

// queueURL is the queue with a state, reason and page (and, when given, a
// target and a reporter).
func queueURL(state, reason string, page int, targetAndReporter ...string) string {
	v := url.Values{}
	if state != "" && state != archive.ReportOpen {
		v.Set("state", state)
	}
	if reason != "" {
		v.Set("reason", reason)
	}
	for i, k := range []string{"target", "reporter"} {
		if i < len(targetAndReporter) && targetAndReporter[i] != "" {
			v.Set(k, targetAndReporter[i])
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/admin/reports"
	}
	return "/admin/reports?" + v.Encode()
}

// GET /admin/reports?state=&reason=&page=
func (srv *Server) reportsQueue(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	q := r.URL.Query()
	p := &reportsPage{State: q.Get("state"), Reason: q.Get("reason"), States: append([]string{"all"}, archive.ReportStates...),
		Reasons: reasonChoices(), Admin: u.IsAdmin(), Target: strings.TrimSpace(q.Get("target")), Reporter: strings.TrimSpace(q.Get("reporter"))}
	if p.State == "" {
		p.State = archive.ReportOpen
	}
	page, err := site.PageParam("page", q.Get("page"))
	var rp *site.ReportPage
	if err == nil {
		rp, err = srv.site.Reports(r.Context(), u, site.ReportQuery{State: p.State, Reason: p.Reason, Target: p.Target, Reporter: p.Reporter, Page: page})
	}
	if err != nil {
		var ve *archive.ValidationError
		if errors.As(err, &ve) {
			srv.render(w, r, http.StatusUnprocessableEntity, "admin_reports", pageData{Title: "Reports", Errors: []string{humanField(srv.readerOf(r).loc, ve)}, P: p})
			return nil
		}
		return err
	}
	p.Page, p.PerPage, p.Targets, p.Reports = rp.Page, rp.PerPage, rp.Targets, len(rp.Reports)
	p.LastPage = max(1, (rp.Targets+rp.PerPage-1)/rp.PerPage)
	p.Here = queueURL(p.State, p.Reason, p.Page, p.Target, p.Reporter)
	byTarget := map[string]*reportGroup{}
	for _, rep := range rp.Reports {
		key := rep.Target.Kind + ":" + strconv.FormatInt(rep.Target.ID, 10) + ":" + rep.Target.Name
		g := byTarget[key]
		if g == nil {
			g = &reportGroup{Kind: rep.Target.Kind, Target: rep.Target.String(), Snapshot: rep.Snapshot}
			if st, ok := rp.Works[rep.Target.String()]; ok {
				g.State = &st
			}
			byTarget[key] = g
			p.Groups = append(p.Groups, g)
		}
		g.Reports = append(g.Reports, rep)
		if rep.State == archive.ReportOpen {
			g.Open++
		}
		label := archive.ReasonLabel(rep.Reason)
		seen := false
		for _, x := range g.Reasons {
			seen = seen || x == label
		}
		if !seen {
			g.Reasons = append(g.Reasons, label)
		}
	}
	srv.render(w, r, http.StatusOK, "admin_reports", pageData{Title: "Reports", P: p})
	return nil
}

// POST /admin/reports: close every open report of one target at once.
func (srv *Server) closeReportsOf(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	if _, err := srv.site.CloseReportsOf(r.Context(), u, f.Get("target"), f.Get("return_reason"), f.Get("state"), f.Get("note")); err != nil {
		return err
	}
	http.Redirect(w, r, queueReturn(f), http.StatusSeeOther)
	return nil
}

// queueReturn is the queue as the form's hidden fields say it was shown.
func queueReturn(f url.Values) string {
	page, _ := strconv.Atoi(f.Get("return_page"))
	back := queueURL(f.Get("return_state"), f.Get("return_reason"), page)
	if rt := f.Get("return_to"); strings.HasPrefix(rt, "/admin/reports") {
		return localPath(rt, back)
	}
	return back
}

// POST /admin/reports/{id}: state, assignee and a note, from the queue.
func (srv *Server) updateReport(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	ch := site.ReportChange{Note: f.Get("note")}
	if _, ok := f["state"]; ok {
		s := f.Get("state")
		ch.State = &s
	}
	if _, ok := f["assignee"]; ok {
		a := f.Get("assignee")
		if f.Get("assign") == "me" {
			a = u.Name
		}
		ch.Assignee = &a
	}
	if _, err := srv.site.UpdateReport(r.Context(), u, id, ch); err != nil {
		return err
	}
	http.Redirect(w, r, queueReturn(f)+"#report-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// reportURL is the report form for a target: reportURL "work" 12,
// reportURL "user" "alice".
func reportURL(kind string, ref any) string {
	var s string
	switch v := ref.(type) {
	case int64:
		s = strconv.FormatInt(v, 10)
	case int:
		s = strconv.Itoa(v)
	case string:
		s = v
	}
	return "/reports/new?target=" + url.QueryEscape(kind+":"+s)
}

func init() {
	funcs["reportURL"] = reportURL
	funcs["reasonLabel"] = archive.ReasonLabel
}
