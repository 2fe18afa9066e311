package api

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/site"
)

// The moderators' API under /api/v1/admin: every endpoint checks the role
// before it reads anything (401 without a token, 403 without the role).

type reasonBody struct {
	Reason string `json:"reason"`
}

type suspendBody struct {
	Until  string `json:"until"`
	Reason string `json:"reason"`
}

// moderatorTarget checks that u moderates and reads the id in the path
// and the reason every moderator's action needs.
func (a *server) moderatorTarget(w http.ResponseWriter, r *http.Request, u *archive.User) (int64, string, error) {
	if err := site.RequireModerator(u); err != nil {
		return 0, "", err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, "", err
	}
	reason, err := a.readReason(w, r)
	return id, reason, err
}

// readReason reads {"reason"}; a DELETE may instead give ?reason= and no body.
func (a *server) readReason(w http.ResponseWriter, r *http.Request) (string, error) {
	if r.Method == http.MethodDelete {
		if q := r.URL.Query().Get("reason"); q != "" {
			return q, nil
		}
		if r.ContentLength == 0 {
			b, _ := io.ReadAll(io.LimitReader(r.Body, 1))
			if len(b) == 0 {
				return "", nil // site says the reason is missing
			}
		}
	}
	var in reasonBody
	if _, err := a.readJSON(w, r, &in); err != nil {
		return "", err
	}
	return in.Reason, nil
}

type auditEntryJSON struct {
	ID     int64   `json:"id"`
	Actor  string  `json:"actor"`
	Action string  `json:"action"`
	Target string  `json:"target"`
	Reason string  `json:"reason"`
	At     *string `json:"at"`
}

// GET /api/v1/admin/log?actor&action&target&page&per_page
func (a *server) auditLog(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := site.RequireModerator(u); err != nil {
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
	p, err := a.site.AuditLog(r.Context(), u, site.AuditQuery{Actor: q.Get("actor"), Action: q.Get("action"), Target: q.Get("target"),
		Page: page, PerPage: perPage})
	if err != nil {
		return err
	}
	out := make([]auditEntryJSON, 0, len(p.Entries))
	for _, e := range p.Entries {
		out = append(out, auditEntryJSON{ID: e.ID, Actor: e.Actor, Action: e.Action, Target: e.Target, Reason: e.Reason, At: timestamp(e.At)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": out, "total": p.Total, "page": p.Page, "per_page": p.PerPage})
	return nil
}

// workAction serves POST …/works/{id}/hide and …/unhide.
func (a *server) workAction(hide bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, u *archive.User) error {
		id, reason, err := a.moderatorTarget(w, r, u)
		if err != nil {
			return err
		}
		op := a.site.UnhideWork
		if hide {
			op = a.site.HideWork
		}
		wk, err := op(r.Context(), u, id, reason)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": wk.ID, "hidden": wk.Hidden, "hidden_reason": wk.HiddenReason})
		return nil
	}
}

// DELETE /api/v1/admin/works/{id} {"reason"}
func (a *server) adminDeleteWork(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, reason, err := a.moderatorTarget(w, r, u)
	if err != nil {
		return err
	}
	if err := a.site.ModDeleteWork(r.Context(), u, id, reason); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// commentAction serves POST …/comments/{id}/hide and …/unhide, and DELETE
// …/comments/{id}.
func (a *server) commentAction(op func(ctx context.Context, u *archive.User, id int64, reason string) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, u *archive.User) error {
		id, reason, err := a.moderatorTarget(w, r, u)
		if err != nil {
			return err
		}
		if err := op(r.Context(), u, id, reason); err != nil {
			return err
		}
		if r.Method == http.MethodDelete {
			w.WriteHeader(http.StatusNoContent)
			return nil
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": id, "hidden": strings.HasSuffix(r.URL.Path, "/hide")})
		return nil
	}
}

type accountJSON struct {
	Name             string   `json:"name"`
	Email            string   `json:"email,omitempty"`
	Roles            []string `json:"roles"`
	SuspendedUntil   *string  `json:"suspended_until"`
	Banned           bool     `json:"banned"`
	ModerationReason string   `json:"moderation_reason,omitempty"`
}

func accountOut(a *archive.User) accountJSON {
	roles := a.Roles
	if roles == nil {
		roles = []string{}
	}
	return accountJSON{Name: a.Name, Email: a.Email, Roles: roles, SuspendedUntil: timestamp(a.SuspendedUntil), Banned: a.Banned,
		ModerationReason: a.ModerationReason}
}

// POST /api/v1/admin/users/{name}/suspend {"until", "reason"}
func (a *server) suspendUser(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := site.RequireModerator(u); err != nil {
		return err
	}
	var in suspendBody
	if _, err := a.readJSON(w, r, &in); err != nil {
		return err
	}
	var until time.Time
	if s := strings.TrimSpace(in.Until); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return archive.Invalid("until", "must be a date and time like 2030-01-02T15:04:05Z")
		}
		until = t
	}
	acct, err := a.site.Suspend(r.Context(), u, r.PathValue("name"), until, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, accountOut(acct))
	return nil
}

// accountAction serves POST …/users/{name}/unsuspend, ban, unban and spam.
func (a *server) accountAction(op func(ctx context.Context, u *archive.User, name, reason string) (*archive.User, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, u *archive.User) error {
		if err := site.RequireModerator(u); err != nil {
			return err
		}
		reason, err := a.readReason(w, r)
		if err != nil {
			return err
		}
		acct, err := op(r.Context(), u, r.PathValue("name"), reason)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, accountOut(acct))
		return nil
	}
}

// adminRoutes are the moderators' endpoints (roles: admins only).
func (a *server) adminRoutes() []route {
	return []route{
		{"/api/v1/admin/log", map[string]handlerFunc{"GET": a.auditLog}},
		{"/api/v1/admin/works/{id}", map[string]handlerFunc{"DELETE": a.adminDeleteWork}},
		{"/api/v1/admin/works/{id}/hide", map[string]handlerFunc{"POST": a.workAction(true)}},
		{"/api/v1/admin/works/{id}/unhide", map[string]handlerFunc{"POST": a.workAction(false)}},
		{"/api/v1/admin/comments/{id}", map[string]handlerFunc{"DELETE": a.commentAction(a.site.ModDeleteComment)}},
		{"/api/v1/admin/comments/{id}/hide", map[string]handlerFunc{"POST": a.commentAction(a.site.HideComment)}},
		{"/api/v1/admin/comments/{id}/unhide", map[string]handlerFunc{"POST": a.commentAction(a.site.UnhideComment)}},
		{"/api/v1/admin/users", map[string]handlerFunc{"GET": a.adminUsers}},
		{"/api/v1/admin/users/{name}", map[string]handlerFunc{"GET": a.adminUser}},
		{"/api/v1/admin/users/{name}/roles", map[string]handlerFunc{"POST": a.adminRole}},
		{"/api/v1/admin/users/{name}/suspend", map[string]handlerFunc{"POST": a.suspendUser}},
		{"/api/v1/admin/users/{name}/unsuspend", map[string]handlerFunc{"POST": a.accountAction(a.site.Unsuspend)}},
		{"/api/v1/admin/users/{name}/ban", map[string]handlerFunc{"POST": a.accountAction(a.site.Ban)}},
		{"/api/v1/admin/users/{name}/unban", map[string]handlerFunc{"POST": a.accountAction(a.site.Unban)}},
		{"/api/v1/admin/users/{name}/spam", map[string]handlerFunc{"POST": a.accountAction(a.site.Spam)}},
	}
}

// GET /api/v1/admin/users?q&page: accounts by name (and, for admins, e-mail).
func (a *server) adminUsers(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := site.RequireModerator(u); err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := site.PageParam("page", q.Get("page"))
	if err != nil {
		return err
	}
	p, err := a.site.SearchUsers(r.Context(), u, q.Get("q"), page)
	if err != nil {
		return err
	}
	out := make([]accountJSON, 0, len(p.Users))
	for _, acct := range p.Users {
		out = append(out, accountOut(acct))
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": out, "total": p.Total, "page": p.Page, "per_page": p.PerPage})
	return nil
}

// GET /api/v1/admin/users/{name}: the account, its works and its history.
func (a *server) adminUser(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := site.RequireModerator(u); err != nil {
		return err
	}
	v, err := a.site.Account(r.Context(), u, r.PathValue("name"))
	if err != nil {
		return err
	}
	type workRef struct {
		ID           int64  `json:"id"`
		Title        string `json:"title"`
		Draft        bool   `json:"draft"`
		Hidden       bool   `json:"hidden"`
		HiddenReason string `json:"hidden_reason,omitempty"`
	}
	works := make([]workRef, 0, len(v.Works))
	for _, wk := range v.Works {
		works = append(works, workRef{ID: wk.ID, Title: wk.Title, Draft: wk.Draft, Hidden: wk.Hidden, HiddenReason: wk.HiddenReason})
	}
	hist := make([]auditEntryJSON, 0, len(v.History))
	for _, e := range v.History {
		hist = append(hist, auditEntryJSON{ID: e.ID, Actor: e.Actor, Action: e.Action, Target: e.Target, Reason: e.Reason, At: timestamp(e.At)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": accountOut(v.User), "works": works, "history": hist})
	return nil
}

type roleBody struct {
	Add    string `json:"add"`
	Remove string `json:"remove"`
	Reason string `json:"reason"`
}

// POST /api/v1/admin/users/{name}/roles {"add" or "remove", "reason"} (admins).
func (a *server) adminRole(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := site.RequireAdmin(u); err != nil {
		return err
	}
	var in roleBody
	if _, err := a.readJSON(w, r, &in); err != nil {
		return err
	}
	if (in.Add == "") == (in.Remove == "") {
		return archive.Invalid("role", "give exactly one of add and remove")
	}
	role, add := in.Add, true
	if in.Remove != "" {
		role, add = in.Remove, false
	}
	roles, err := a.site.ChangeRole(r.Context(), u, r.PathValue("name"), role, add, in.Reason)
	if err != nil {
		return err
	}
	if roles == nil {
		roles = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"name": r.PathValue("name"), "roles": roles})
	return nil
}
