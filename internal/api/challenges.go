package api

import (
	"net/http"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/site"
)

// Gift exchanges: GET|PUT /api/v1/collections/{name}/challenge, GET|POST
// …/challenge/signups, PATCH|DELETE …/challenge/signups/{id}, GET
// …/challenge/summary, POST …/challenge/matching, GET
// …/challenge/assignments, PATCH …/challenge/assignments/{id} {"giver"},
// POST …/challenge/assignments/send; GET /api/v1/me/assignments, POST
// /api/v1/assignments/{id}/default.

func (a *server) challengeRoutes() []route {
	base := "/api/v1/collections/{name}/challenge"
	return []route{
		{base, map[string]handlerFunc{"GET": a.getChallenge, "PUT": a.putChallenge}},
		{base + "/signups", map[string]handlerFunc{"GET": a.listSignups, "POST": a.postSignup}},
		{base + "/signups/{id}", map[string]handlerFunc{"PATCH": a.patchSignup, "DELETE": a.deleteSignup}},
		{base + "/summary", map[string]handlerFunc{"GET": a.signupSummary}},
		{base + "/matching", map[string]handlerFunc{"POST": a.runMatching}},
		{base + "/assignments", map[string]handlerFunc{"GET": a.listAssignments}},
		// POST …/assignments/send shares the {id} pattern (a fixed segment
		// beside a wildcard would conflict in the mux's 405 fallback).
		{base + "/assignments/{id}", map[string]handlerFunc{"PATCH": a.patchAssignment, "POST": a.sendAssignments}},
		{base + "/pinch_hitters", map[string]handlerFunc{"GET": a.listPinchHitters, "POST": a.joinPinchHit, "DELETE": a.leavePinchHit}},
		{"/api/v1/me/assignments", map[string]handlerFunc{"GET": a.myAssignments}},
		{"/api/v1/assignments/{id}/default", map[string]handlerFunc{"POST": a.defaultAssignment}},
	}
}

// challengeJSON is the spec's shape of a challenge (PUT's body too).
type challengeJSON struct {
	Kind           string                              `json:"kind"`
	SignupsOpenAt  *string                             `json:"signups_open_at"`
	SignupsCloseAt *string                             `json:"signups_close_at"`
	Requests       archive.Range                       `json:"requests"`
	Offers         archive.Range                       `json:"offers"`
	Tags           map[archive.TagType]archive.TagRule `json:"tags"`
	TagSet         []string                            `json:"tag_set"`
	SignupsOpen    bool                                `json:"signups_open"`
	MatchedAt      *string                             `json:"matched_at"`
	SentAt         *string                             `json:"sent_at"`
}

func challengeOut(ch *archive.Challenge, open bool) challengeJSON {
	tags := ch.Settings.Tags
	if tags == nil {
		tags = map[archive.TagType]archive.TagRule{}
	}
	return challengeJSON{Kind: ch.Kind, SignupsOpenAt: timestamp(ch.SignupsOpenAt), SignupsCloseAt: timestamp(ch.SignupsCloseAt),
		Requests: ch.Settings.Requests, Offers: ch.Settings.Offers, Tags: tags, TagSet: ch.Settings.TagSet,
		SignupsOpen: open, MatchedAt: timestamp(ch.MatchedAt), SentAt: timestamp(ch.SentAt)}
}

func parseTime(field string, s *string) (time.Time, error) {
	if s == nil || *s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, *s)
	if err != nil {
		return time.Time{}, archive.Invalid(field, "must be an RFC 3339 time, like 2026-12-01T00:00:00Z")
	}
	return t.UTC().Truncate(time.Second), nil
}

func (a *server) getChallenge(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	v, err := a.site.Challenge(r.Context(), u, r.PathValue("name"))
	if err != nil {
		return err
	}
	if v.Challenge == nil {
		return archive.Explain(archive.ErrNotFound, "%s runs no challenge", v.Collection.Title)
	}
	writeJSON(w, http.StatusOK, challengeOut(v.Challenge, v.Open))
	return nil
}

// PUT …/challenge: the whole settings (maintainers).
func (a *server) putChallenge(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var b challengeJSON
	if _, err := a.readJSON(w, r, &b); err != nil {
		return err
	}
	ch := archive.Challenge{Kind: b.Kind, Settings: archive.ChallengeSettings{Requests: b.Requests, Offers: b.Offers, Tags: b.Tags, TagSet: b.TagSet}}
	var err error
	if ch.SignupsOpenAt, err = parseTime("signups_open_at", b.SignupsOpenAt); err != nil {
		return err
	}
	if ch.SignupsCloseAt, err = parseTime("signups_close_at", b.SignupsCloseAt); err != nil {
		return err
	}
	out, err := a.site.SetChallenge(r.Context(), u, r.PathValue("name"), ch)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, challengeOut(out, out.SignupsOpen(a.site.Now())))
	return nil
}

type promptJSON struct {
	ID            int64    `json:"id"`
	Fandoms       []string `json:"fandoms"`
	Characters    []string `json:"characters"`
	Relationships []string `json:"relationships"`
	Freeforms     []string `json:"freeforms"`
	Rating        string   `json:"rating"`
	Any           []string `json:"any"`
	Title         string   `json:"title"`
	Details       string   `json:"details"`
	URL           string   `json:"url"`
}

func promptOut(p *archive.Prompt) *promptJSON {
	if p == nil {
		return nil
	}
	list := func(t archive.TagType) []string {
		if l := p.Tags[t]; l != nil {
			return l
		}
		return []string{}
	}
	j := &promptJSON{ID: p.ID, Fandoms: list(archive.TypeFandom), Characters: list(archive.TypeCharacter),
		Relationships: list(archive.TypeRelationship), Freeforms: list(archive.TypeFreeform), Any: []string{},
		Title: p.Title, Details: p.Details.HTML, URL: p.URL}
	if r := p.Tags[archive.TypeRating]; len(r) > 0 {
		j.Rating = r[0]
	}
	for _, t := range p.Any {
		j.Any = append(j.Any, string(t))
	}
	return j
}

type signupJSON struct {
	ID        int64         `json:"id"`
	User      string        `json:"user"`
	Requests  []*promptJSON `json:"requests"`
	Offers    []*promptJSON `json:"offers"`
	CreatedAt *string       `json:"created_at"`
	UpdatedAt *string       `json:"updated_at"`
}

func signupOut(su *archive.Signup) signupJSON {
	j := signupJSON{ID: su.ID, User: su.UserName, Requests: []*promptJSON{}, Offers: []*promptJSON{},
		CreatedAt: timestamp(su.CreatedAt), UpdatedAt: timestamp(su.UpdatedAt)}
	for i := range su.Requests {
		j.Requests = append(j.Requests, promptOut(&su.Requests[i]))
	}
	for i := range su.Offers {
		j.Offers = append(j.Offers, promptOut(&su.Offers[i]))
	}
	return j
}

// GET …/challenge/signups: all for maintainers, one's own for others.
func (a *server) listSignups(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	sus, err := a.site.Signups(r.Context(), u, r.PathValue("name"))
	if err != nil {
		return err
	}
	out := make([]signupJSON, 0, len(sus))
	for _, su := range sus {
		out = append(out, signupOut(su))
	}
	writeJSON(w, http.StatusOK, map[string]any{"signups": out})
	return nil
}

func (a *server) postSignup(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var in archive.SignupInput
	if _, err := a.readJSON(w, r, &in); err != nil {
		return err
	}
	su, err := a.site.SignUp(r.Context(), u, r.PathValue("name"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, signupOut(su))
	return nil
}

func (a *server) patchSignup(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in archive.SignupInput
	if _, err := a.readJSON(w, r, &in); err != nil {
		return err
	}
	su, err := a.site.EditSignup(r.Context(), u, r.PathValue("name"), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, signupOut(su))
	return nil
}

func (a *server) deleteSignup(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.site.WithdrawSignup(r.Context(), u, r.PathValue("name"), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// GET …/challenge/pinch_hitters (maintainers): the volunteers.
func (a *server) listPinchHitters(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	ps, err := a.site.PinchHitters(r.Context(), u, r.PathValue("name"))
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(ps))
	for _, p := range ps {
		out = append(out, map[string]any{"user": p.Name, "since": p.CreatedAt.UTC().Format(time.RFC3339)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"pinch_hitters": out})
	return nil
}

// POST …/challenge/pinch_hitters: the caller volunteers.
func (a *server) joinPinchHit(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	if err := a.site.VolunteerPinchHit(r.Context(), u, r.PathValue("name"), true); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// DELETE …/challenge/pinch_hitters: the caller leaves the list.
func (a *server) leavePinchHit(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	if err := a.site.VolunteerPinchHit(r.Context(), u, r.PathValue("name"), false); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// GET …/challenge/summary (maintainers): per tag, requests and offers.
func (a *server) signupSummary(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	sum, err := a.site.ExchangeSummary(r.Context(), u, r.PathValue("name"))
	if err != nil {
		return err
	}
	type tagJSON struct {
		Type     string `json:"type"`
		Name     string `json:"name"`
		Requests int    `json:"requests"`
		Offers   int    `json:"offers"`
	}
	tags := make([]tagJSON, 0, len(sum.Tags))
	for _, t := range sum.Tags {
		tags = append(tags, tagJSON{string(t.Type), t.Name, t.Requests, t.Offers})
	}
	writeJSON(w, http.StatusOK, map[string]any{"signups": sum.Signups, "tags": tags, "any_requests": sum.AnyRequests, "any_offers": sum.AnyOffers})
	return nil
}

func (a *server) runMatching(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	res, err := a.site.RunMatching(r.Context(), u, r.PathValue("name"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

type assignmentJSON struct {
	ID          int64       `json:"id"`
	Collection  string      `json:"collection"`
	Giver       *string     `json:"giver"`
	Recipient   string      `json:"recipient"`
	Request     *promptJSON `json:"request"`
	Offer       *promptJSON `json:"offer"`
	PinchHit    bool        `json:"pinch_hit"`
	Status      string      `json:"status"`
	SentAt      *string     `json:"sent_at"`
	FulfilledBy *int64      `json:"fulfilled_by"`
	Defaulted   bool        `json:"defaulted"`
}

func assignmentOut(v *site.AssignmentView) assignmentJSON {
	j := assignmentJSON{ID: v.ID, Collection: v.Collection.Name, Recipient: v.Recipient, Request: promptOut(v.Request),
		Offer: promptOut(v.Offer), PinchHit: v.PinchHit, Status: v.Status, SentAt: timestamp(v.SentAt), Defaulted: !v.DefaultedAt.IsZero()}
	if v.Giver != "" {
		g := v.Giver
		j.Giver = &g
	}
	if v.FulfilledBy != 0 {
		id := v.FulfilledBy
		j.FulfilledBy = &id
	}
	return j
}

// GET …/challenge/assignments (maintainers), with those left out and who
// has not posted.
func (a *server) listAssignments(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	st, err := a.site.Exchange(r.Context(), u, r.PathValue("name"))
	if err != nil {
		return err
	}
	out := make([]assignmentJSON, 0, len(st.Assignments))
	for i := range st.Assignments {
		out = append(out, assignmentOut(&st.Assignments[i]))
	}
	notPosted := make([]string, 0, len(st.NotPosted))
	for _, v := range st.NotPosted {
		notPosted = append(notPosted, v.Giver)
	}
	writeJSON(w, http.StatusOK, map[string]any{"assignments": out, "unmatched": st.Unmatched, "not_posted": notPosted})
	return nil
}

func (a *server) patchAssignment(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b struct {
		Giver *string `json:"giver"`
	}
	if _, err := a.readJSON(w, r, &b); err != nil {
		return err
	}
	giver := ""
	if b.Giver != nil {
		giver = strings.TrimSpace(*b.Giver)
	}
	v, err := a.site.SetAssignmentGiver(r.Context(), u, r.PathValue("name"), id, giver)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, assignmentOut(v))
	return nil
}

func (a *server) sendAssignments(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if r.PathValue("id") != "send" {
		return archive.Explain(archive.ErrNotFound, "POST goes to …/assignments/send; an assignment is changed with PATCH")
	}
	if err := requireUser(u); err != nil {
		return err
	}
	n, err := a.site.SendAssignments(r.Context(), u, r.PathValue("name"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"sent": n})
	return nil
}

func (a *server) myAssignments(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	vs, err := a.site.MyAssignments(r.Context(), u)
	if err != nil {
		return err
	}
	out := make([]assignmentJSON, 0, len(vs))
	for i := range vs {
		out = append(out, assignmentOut(&vs[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"assignments": out})
	return nil
}

func (a *server) defaultAssignment(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := a.site.DefaultAssignment(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, assignmentOut(v))
	return nil
}
