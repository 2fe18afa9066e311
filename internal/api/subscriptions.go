package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"quire/internal/archive"
	"quire/internal/site"
)

// subscriptionBody is {"kind": "work"|"series"|"user", "target": …}: a work
// or series id (a number, or a string of digits), a user's name (or id).
type subscriptionBody struct {
	Kind   string          `json:"kind"`
	Target json.RawMessage `json:"target"`
}

func (b subscriptionBody) target() (site.SubscriptionTarget, error) {
	t := site.SubscriptionTarget{Kind: b.Kind}
	raw := bytes.TrimSpace(b.Target)
	if b.Kind == "" {
		return t, archive.Invalid("kind", "is required: work, series or user")
	}
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return t, archive.Invalid("target", "is required")
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		t.Target = s
		return t, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		if _, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
			t.Target = n.String()
			return t, nil
		}
	}
	return t, archive.Invalid("target", "must be an id or a user name")
}

func subscriptionJSON(v *site.SubscriptionView) map[string]any {
	var target any = v.Target
	if v.Kind == "user" {
		target = v.TargetString()
	}
	return map[string]any{"id": v.ID, "kind": v.Kind, "target": target, "name": v.Name, "created_at": timestamp(v.CreatedAt)}
}

// GET /api/v1/subscriptions: the token user's subscriptions, newest first.
func (a *server) listSubscriptions(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	subs, err := a.site.Subscriptions(r.Context(), u)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(subs))
	for _, v := range subs {
		out = append(out, subscriptionJSON(v))
	}
	writeJSON(w, http.StatusOK, map[string]any{"subscriptions": out})
	return nil
}

// POST /api/v1/subscriptions {"kind", "target"} — 201; a repeat is 409, an
// unknown target 404, a series while the archive has none 422.
func (a *server) subscribe(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var in subscriptionBody
	if _, err := a.readJSON(w, r, &in); err != nil {
		return err
	}
	t, err := in.target()
	if err != nil {
		return err
	}
	v, err := a.site.Subscribe(r.Context(), u, t)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, subscriptionJSON(v))
	return nil
}

// DELETE /api/v1/subscriptions {"kind", "target"} — 204; 404 when there is
// no such subscription.
func (a *server) unsubscribe(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var in subscriptionBody
	if _, err := a.readJSON(w, r, &in); err != nil {
		return err
	}
	t, err := in.target()
	if err != nil {
		return err
	}
	if err := a.site.Unsubscribe(r.Context(), u, t); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
