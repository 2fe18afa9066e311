package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/site"
)

// The moderators' pages under /admin, and the moderation forms on work
// pages. Every route goes through srv.staff, which checks the role before
// the handler runs and keeps the page out of every shared cache.

// staff wraps a moderators' route (staffRole for the moderator role).
func (srv *Server) staff(h http.HandlerFunc) http.HandlerFunc {
	return srv.staffRole(archive.RoleModerator, h)
}

// staffRole wraps a route for one role: a guest gets the log-in form with 401, a
// reader without the role 403; the answer is never cached.
func (srv *Server) staffRole(role string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "private, no-store")
		u := currentUser(r)
		if u == nil {
			back := r.URL.RequestURI()
			if r.Method != http.MethodGet {
				back = "/"
			}
			srv.render(w, r, http.StatusUnauthorized, "login", pageData{Title: "Log in",
				Errors: []string{"Log in with a moderator's account to see this page."}, P: formValues{"return_to": localPath(back, "/")}})
			return
		}
		if !u.Has(role) {
			srv.fail(w, r, fmt.Errorf("%s only: %w", role, archive.ErrForbidden))
			return
		}
		h(w, r)
	}
}

// adminRoutes registers the moderators' pages and forms.
func (srv *Server) adminRoutes(mux router) {
	mux.HandleFunc("GET /admin/users", srv.staff(srv.page(srv.adminUsers)))
	mux.HandleFunc("GET /admin/users/{name}", srv.staff(srv.page(srv.adminUser)))
	mux.HandleFunc("POST /admin/users/{name}/roles", srv.staff(srv.page(srv.adminRole)))
	mux.HandleFunc("POST /admin/users/{name}/suspend", srv.staff(srv.page(srv.adminSuspend)))
	for _, a := range []string{"unsuspend", "ban", "unban", "spam"} {
		mux.HandleFunc("POST /admin/users/{name}/"+a, srv.staff(srv.page(srv.adminAccountAction(a))))
	}
	mux.HandleFunc("GET /admin/log", srv.staff(srv.page(srv.adminLog)))
	mux.HandleFunc("POST /works/{id}/hide", srv.staff(srv.page(srv.moderateWork("hide"))))
	mux.HandleFunc("POST /works/{id}/unhide", srv.staff(srv.page(srv.moderateWork("unhide"))))
	mux.HandleFunc("POST /works/{id}/moderator_delete", srv.staff(srv.page(srv.moderateWork("delete"))))
	mux.HandleFunc("POST /comments/{id}/hide", srv.staff(srv.page(srv.moderateComment("hide"))))
	mux.HandleFunc("POST /comments/{id}/unhide", srv.staff(srv.page(srv.moderateComment("unhide"))))
	mux.HandleFunc("POST /comments/{id}/moderator_delete", srv.staff(srv.page(srv.moderateComment("delete"))))
}

// usersPage is /admin/users.
type usersPage struct {
	*site.UserPage
	Q        string
	LastPage int
}

// URL links to another page of the search.
func (p *usersPage) URL(page int) string {
	return "/admin/users?" + url.Values{"q": {p.Q}, "page": {strconv.Itoa(page)}}.Encode()
}

func (srv *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, err := site.PageParam("page", q.Get("page"))
	if err != nil {
		return err
	}
	l, err := srv.site.SearchUsers(r.Context(), currentUser(r), q.Get("q"), page)
	if err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "admin_users", pageData{Title: "Accounts",
		P: &usersPage{UserPage: l, Q: q.Get("q"), LastPage: (l.Total + l.PerPage - 1) / l.PerPage}})
	return nil
}

// accountPage is /admin/users/{name}.
type accountPage struct {
	*site.AccountView
	Roles   []string
	IsAdmin bool // the viewer: only admins change roles
	Form    formValues
}

func (srv *Server) adminUser(w http.ResponseWriter, r *http.Request) error {
	return srv.showAccount(w, r, http.StatusOK, nil, formValues{})
}

// showAccount renders an account's page, with errors from a failed form.
func (srv *Server) showAccount(w http.ResponseWriter, r *http.Request, status int, errs []string, form formValues) error {
	u := currentUser(r)
	v, err := srv.site.Account(r.Context(), u, r.PathValue("name"))
	if err != nil {
		return err
	}
	srv.render(w, r, status, "admin_user", pageData{Title: v.User.Name, Errors: errs,
		P: &accountPage{AccountView: v, Roles: archive.Roles, IsAdmin: u.IsAdmin(), Form: form}})
	return nil
}

// formFailed shows a validation error on the account page (422), or the
// error page for anything else.
func (srv *Server) formFailed(w http.ResponseWriter, r *http.Request, err error, form formValues) error {
	var ve *archive.ValidationError
	if errors.As(err, &ve) {
		return srv.showAccount(w, r, http.StatusUnprocessableEntity, []string{humanField(srv.readerOf(r).loc, ve)}, form)
	}
	return err
}

func (srv *Server) backToAccount(w http.ResponseWriter, r *http.Request, name string) {
	http.Redirect(w, r, "/admin/users/"+url.PathEscape(name), http.StatusSeeOther)
}

func (srv *Server) adminRole(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	name, f := r.PathValue("name"), r.PostForm
	add := f.Get("change") != "remove"
	if _, err := srv.site.ChangeRole(r.Context(), currentUser(r), name, f.Get("role"), add, f.Get("reason")); err != nil {
		return srv.formFailed(w, r, err, formValues{"role_reason": f.Get("reason")})
	}
	srv.backToAccount(w, r, name)
	return nil
}

// parseUntil reads the suspension's end from a form: a datetime-local
// value (taken as UTC), a date, or RFC 3339.
func parseUntil(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, archive.Invalid("until", "must be a date and time, like 2030-01-02T15:04")
}

func (srv *Server) adminSuspend(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	name, f := r.PathValue("name"), r.PostForm
	form := formValues{"until": f.Get("until"), "suspend_reason": f.Get("reason")}
	until, err := parseUntil(f.Get("until"))
	if err == nil {
		_, err = srv.site.Suspend(r.Context(), currentUser(r), name, until, f.Get("reason"))
	}
	if err != nil {
		return srv.formFailed(w, r, err, form)
	}
	srv.backToAccount(w, r, name)
	return nil
}

func (srv *Server) adminAccountAction(action string) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := r.ParseForm(); err != nil {
			return err
		}
		op := map[string]func(ctx context.Context, u *archive.User, name, reason string) (*archive.User, error){
			"unsuspend": srv.site.Unsuspend, "ban": srv.site.Ban, "unban": srv.site.Unban, "spam": srv.site.Spam,
		}[action]
		name := r.PathValue("name")
		if _, err := op(r.Context(), currentUser(r), name, r.PostForm.Get("reason")); err != nil {
			return srv.formFailed(w, r, err, formValues{action + "_reason": r.PostForm.Get("reason")})
		}
		srv.backToAccount(w, r, name)
		return nil
	}
}

// logPage is /admin/log.
type logPage struct {
	*site.AuditPage
	Q        site.AuditQuery
	Actions  []string
	LastPage int
}

// URL links to another page of the log with the same filters.
func (p *logPage) URL(page int) string {
	v := url.Values{"page": {strconv.Itoa(page)}}
	for k, s := range map[string]string{"actor": p.Q.Actor, "action": p.Q.Action, "target": p.Q.Target} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return "/admin/log?" + v.Encode()
}

func (srv *Server) adminLog(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, err := site.PageParam("page", q.Get("page"))
	if err != nil {
		return err
	}
	aq := site.AuditQuery{Actor: q.Get("actor"), Action: q.Get("action"), Target: q.Get("target"), Page: page}
	p, err := srv.site.AuditLog(r.Context(), currentUser(r), aq)
	if err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "admin_log", pageData{Title: "Audit log",
		P: &logPage{AuditPage: p, Q: aq, Actions: archive.AuditActions, LastPage: (p.Total + p.PerPage - 1) / p.PerPage}})
	return nil
}

// moderateWork serves the hide, unhide and delete forms on a work page.
func (srv *Server) moderateWork(action string) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err == nil {
			err = r.ParseForm()
		}
		if err != nil {
			return err
		}
		u, reason := currentUser(r), r.PostForm.Get("reason")
		back := "/works/" + strconv.FormatInt(id, 10)
		switch action {
		case "hide":
			_, err = srv.site.HideWork(r.Context(), u, id, reason)
		case "unhide":
			_, err = srv.site.UnhideWork(r.Context(), u, id, reason)
		case "delete":
			err, back = srv.site.ModDeleteWork(r.Context(), u, id, reason), "/admin/log"
		}
		if err != nil {
			return err
		}
		if err := srv.resolveFromQueue(r, u, reason); err != nil {
			return err
		}
		http.Redirect(w, r, localPath(r.PostForm.Get("return_to"), back), http.StatusSeeOther)
		return nil
	}
}

// resolveFromQueue resolves, with the action's reason, the open reports
// of the target a hide form in the queue names when its "resolve" box is
// ticked.
func (srv *Server) resolveFromQueue(r *http.Request, u *archive.User, reason string) error {
	target := r.PostForm.Get("resolve_target")
	if target == "" || r.PostForm.Get("resolve") == "" {
		return nil
	}
	_, err := srv.site.CloseReportsOf(r.Context(), u, target, "", archive.ReportResolved, reason)
	return err
}

// moderateComment serves the hide, unhide and delete forms on a comment.
func (srv *Server) moderateComment(action string) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err == nil {
			err = r.ParseForm()
		}
		if err != nil {
			return err
		}
		u, reason := currentUser(r), r.PostForm.Get("reason")
		switch action {
		case "hide":
			err = srv.site.HideComment(r.Context(), u, id, reason)
		case "unhide":
			err = srv.site.UnhideComment(r.Context(), u, id, reason)
		case "delete":
			err = srv.site.ModDeleteComment(r.Context(), u, id, reason)
		}
		if err != nil {
			return err
		}
		if err := srv.resolveFromQueue(r, u, reason); err != nil {
			return err
		}
		http.Redirect(w, r, localPath(r.PostForm.Get("return_to"), "/"), http.StatusSeeOther)
		return nil
	}
}
