package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/site"
)

// Gift exchanges: the maintainers' challenge settings, the sign-up form
// the settings shape, the maintainers' exchange page (summary, matching,
// assignments by hand, sending, who has not posted) and a giver's
// assignments. Plain forms: no page needs JavaScript.

func (srv *Server) challengeRoutes(mux router) {
	mux.HandleFunc("GET /collections/{name}/challenge", srv.loggedIn(srv.challengeForm))
	mux.HandleFunc("POST /collections/{name}/challenge", srv.loggedIn(srv.saveChallenge))
	mux.HandleFunc("GET /collections/{name}/signup", srv.loggedIn(srv.exchangeSignupForm))
	mux.HandleFunc("POST /collections/{name}/signup", srv.loggedIn(srv.saveExchangeSignup))
	mux.HandleFunc("POST /collections/{name}/signup/withdraw", srv.loggedIn(srv.withdrawSignup))
	mux.HandleFunc("POST /collections/{name}/signups/{id}/remove", srv.loggedIn(srv.removeSignup))
	mux.HandleFunc("POST /collections/{name}/pinch_hit", srv.loggedIn(srv.volunteerPinchHit))
	mux.HandleFunc("GET /collections/{name}/exchange", srv.loggedIn(srv.exchangePage))
	mux.HandleFunc("POST /collections/{name}/matching", srv.loggedIn(srv.runMatching))
	mux.HandleFunc("POST /collections/{name}/assignments/send", srv.loggedIn(srv.sendAssignments))
	mux.HandleFunc("POST /collections/{name}/assignments/{id}", srv.loggedIn(srv.setAssignmentGiver))
	mux.HandleFunc("GET /assignments", srv.loggedIn(srv.myAssignments))
	mux.HandleFunc("POST /assignments/{id}/default", srv.loggedIn(srv.defaultAssignment))
}

const formTime = "2006-01-02T15:04"

// ruleRow is one tag type's row of the settings form.
type ruleRow struct {
	Type  archive.TagType
	Label string
	Rule  archive.TagRule
	Match string
}

type challengeFormPage struct {
	C       *archive.Collection
	Ch      archive.Challenge
	New     bool
	OpenAt  string
	CloseAt string
	Rules   []ruleRow
	TagSet  string
	Matched bool
	Now     string
	FormErr string
}

func (srv *Server) challengeForm(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	v, err := srv.site.Challenge(r.Context(), u, r.PathValue("name"))
	if err != nil {
		return err
	}
	if !v.Maintainer {
		return archive.Explain(archive.ErrForbidden, "only the collection's maintainers set its challenge")
	}
	p := &challengeFormPage{C: v.Collection, Now: srv.site.Now().UTC().Format("2006-01-02 15:04 UTC")}
	if v.Challenge == nil {
		p.New = true
		p.Ch = archive.Challenge{Kind: archive.GiftExchange, Settings: archive.DefaultChallengeSettings()}
		if r.URL.Query().Get("kind") == archive.PromptMeme {
			p.Ch = archive.Challenge{Kind: archive.PromptMeme, Settings: archive.DefaultPromptMemeSettings()}
		}
	} else {
		p.Ch, p.Matched = *v.Challenge, !v.Challenge.MatchedAt.IsZero()
	}
	if !p.Ch.SignupsOpenAt.IsZero() {
		p.OpenAt = p.Ch.SignupsOpenAt.UTC().Format(formTime)
	}
	if !p.Ch.SignupsCloseAt.IsZero() {
		p.CloseAt = p.Ch.SignupsCloseAt.UTC().Format(formTime)
	}
	for _, t := range archive.ChallengeTagTypes {
		rule := p.Ch.Settings.Rule(t)
		m := strconv.Itoa(int(rule.Match))
		if rule.Match == archive.MatchAll {
			m = "all"
		}
		p.Rules = append(p.Rules, ruleRow{Type: t, Label: t.Label(), Rule: rule, Match: m})
	}
	p.TagSet = strings.Join(p.Ch.Settings.TagSet, "\n")
	if p.Ch.Kind == archive.PromptMeme { // prompts.go's form
		srv.render(w, r, http.StatusOK, "prompt_meme_form", pageData{Title: srv.tr(r, "Prompt meme settings: {0}", v.Collection.Title), P: p})
		return nil
	}
	srv.render(w, r, http.StatusOK, "challenge_form", pageData{Title: "Challenge settings: " + v.Collection.Title, P: p})
	return nil
}

func formInt(f url.Values, key string) (int, error) {
	s := strings.TrimSpace(f.Get(key))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, archive.Invalid(key, "must be a whole number")
	}
	return n, nil
}

func formRange(f url.Values, prefix string) (archive.Range, error) {
	lo, err := formInt(f, prefix+"_min")
	if err != nil {
		return archive.Range{}, err
	}
	hi, err := formInt(f, prefix+"_max")
	return archive.Range{Min: lo, Max: hi}, err
}

func formUTC(f url.Values, key string) (time.Time, error) {
	s := strings.TrimSpace(f.Get(key))
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(formTime, s)
	if err != nil {
		return time.Time{}, archive.Invalid(key, "must be a date and time like 2026-12-01T18:00 (UTC)")
	}
	return t, nil
}

// splitTags reads a list of tag names separated by commas or lines.
func splitTags(s string) []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r", ""), "\n") {
		for _, n := range strings.Split(line, ",") {
			if n = strings.TrimSpace(n); n != "" {
				out = append(out, n)
			}
		}
	}
	return out
}

func (srv *Server) saveChallenge(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return archive.Invalid("form", "could not be read")
	}
	f := r.PostForm
	ch := archive.Challenge{Kind: archive.GiftExchange, Settings: archive.ChallengeSettings{Tags: map[archive.TagType]archive.TagRule{}}}
	if f.Get("kind") == archive.PromptMeme {
		ch.Kind = archive.PromptMeme
	}
	var err error
	if ch.SignupsOpenAt, err = formUTC(f, "signups_open_at"); err != nil {
		return err
	}
	if ch.SignupsCloseAt, err = formUTC(f, "signups_close_at"); err != nil {
		return err
	}
	if f.Get("close_now") != "" {
		ch.SignupsCloseAt = srv.site.Now().UTC().Truncate(time.Minute)
		if !ch.SignupsOpenAt.IsZero() && !ch.SignupsOpenAt.Before(ch.SignupsCloseAt) {
			ch.SignupsOpenAt = time.Time{}
		}
	}
	if ch.Settings.Requests, err = formRange(f, "requests"); err != nil {
		return err
	}
	if ch.Settings.Offers, err = formRange(f, "offers"); err != nil {
		return err
	}
	for _, t := range archive.ChallengeTagTypes {
		var rule archive.TagRule
		if rule.Request, err = formRange(f, string(t)+"_request"); err != nil {
			return err
		}
		if rule.Offer, err = formRange(f, string(t)+"_offer"); err != nil {
			return err
		}
		rule.Any = f.Get(string(t)+"_any") != ""
		switch m := f.Get(string(t) + "_match"); m {
		case "all":
			rule.Match = archive.MatchAll
		case "", "0":
		default:
			n, err := strconv.Atoi(m)
			if err != nil {
				return archive.Invalid(string(t)+"_match", `must be 0, 1 or "all"`)
			}
			rule.Match = archive.MatchRule(n)
		}
		if rule != (archive.TagRule{}) {
			ch.Settings.Tags[t] = rule
		}
	}
	if ts := splitTags(f.Get("tag_set")); len(ts) > 0 {
		ch.Settings.TagSet = ts
	}
	name := r.PathValue("name")
	if _, err := srv.site.SetChallenge(r.Context(), u, name, ch); err != nil {
		return err
	}
	to := "/exchange"
	if ch.Kind == archive.PromptMeme {
		to = "/prompts"
	}
	http.Redirect(w, r, "/collections/"+url.PathEscape(name)+to, http.StatusSeeOther)
	return nil
}

// promptRow is one request or offer of the sign-up form.
type promptRow struct {
	Kind    string
	Heading string
	Index   int
	Number  int
	Ratings []string
	Fields  []tagField
	Rating  string
	Details string
	URL     string
	Title   string
}

type tagField struct {
	Type  archive.TagType
	Label string
	Value string
	Any   bool
	AnyOK bool
	Min   int
	Max   int
}

type signupFormPage struct {
	V        *site.ChallengeView
	Requests []promptRow
	Offers   []promptRow
	Ratings  []string
	TagSet   []string
}

func (srv *Server) exchangeSignupForm(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	v, err := srv.site.Challenge(r.Context(), u, r.PathValue("name"))
	if err != nil {
		return err
	}
	if v.Challenge == nil || v.Challenge.Kind != archive.GiftExchange {
		return archive.Explain(archive.ErrNotFound, "%s runs no gift exchange", v.Collection.Title)
	}
	s := &v.Challenge.Settings
	var ratings []string
	if rr := s.Rule(archive.TypeRating); rr.Request.Max > 0 || rr.Offer.Max > 0 {
		ratings = archive.Ratings
	}
	rows := func(kind string, n int, have []archive.Prompt) []promptRow {
		var out []promptRow
		for i := 0; i < n; i++ {
			row := promptRow{Kind: kind, Heading: "Request", Index: i, Number: i + 1, Ratings: ratings}
			if kind == archive.PromptOffer {
				row.Heading = "Offer"
			}
			var p *archive.Prompt
			if i < len(have) {
				p = &have[i]
				row.Details, row.URL, row.Title = p.Details.Source, p.URL, p.Title
				if rt := p.Tags[archive.TypeRating]; len(rt) > 0 {
					row.Rating = rt[0]
				}
			}
			for _, t := range archive.ChallengeTagTypes {
				rule := s.Rule(t)
				lim := rule.Request
				if kind == archive.PromptOffer {
					lim = rule.Offer
				}
				if t == archive.TypeRating || (lim.Max == 0 && !rule.Any) {
					continue
				}
				fld := tagField{Type: t, Label: t.Label(), AnyOK: rule.Any, Min: lim.Min, Max: lim.Max}
				if p != nil {
					fld.Value, fld.Any = strings.Join(p.Tags[t], ", "), p.IsAny(t)
				}
				row.Fields = append(row.Fields, fld)
			}
			out = append(out, row)
		}
		return out
	}
	var mineReq, mineOff []archive.Prompt
	if v.Mine != nil {
		mineReq, mineOff = v.Mine.Requests, v.Mine.Offers
	}
	p := &signupFormPage{V: v, Requests: rows(archive.PromptRequest, s.Requests.Max, mineReq),
		Offers: rows(archive.PromptOffer, s.Offers.Max, mineOff), TagSet: s.TagSet}
	p.Ratings = ratings
	srv.render(w, r, http.StatusOK, "signup_form", pageData{Title: "Sign up: " + v.Collection.Title, P: p})
	return nil
}

// readPrompts reads the form's requests or offers; a row left wholly
// blank is no prompt.
func readPrompts(f url.Values, kind string) []archive.PromptInput {
	var out []archive.PromptInput
	for i := 0; i < archive.MaxPromptsPerSignup; i++ {
		pre := kind + "_" + strconv.Itoa(i) + "_"
		in := archive.PromptInput{
			Fandoms: splitTags(f.Get(pre + "fandom")), Characters: splitTags(f.Get(pre + "character")),
			Relationships: splitTags(f.Get(pre + "relationship")), Freeforms: splitTags(f.Get(pre + "freeform")),
			Rating: f.Get(pre + "rating"), Title: f.Get(pre + "title"), Details: f.Get(pre + "details"), URL: f.Get(pre + "url"),
		}
		for _, t := range archive.ChallengeTagTypes {
			if f.Get(pre+"any_"+string(t)) != "" {
				in.Any = append(in.Any, string(t))
			}
		}
		if len(in.Fandoms)+len(in.Characters)+len(in.Relationships)+len(in.Freeforms)+len(in.Any) == 0 &&
			strings.TrimSpace(in.Rating+in.Title+in.Details+in.URL) == "" {
			continue
		}
		out = append(out, in)
	}
	return out
}

func (srv *Server) saveExchangeSignup(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return archive.Invalid("form", "could not be read")
	}
	name := r.PathValue("name")
	in := archive.SignupInput{Requests: readPrompts(r.PostForm, archive.PromptRequest), Offers: readPrompts(r.PostForm, archive.PromptOffer)}
	if _, err := srv.site.SignUp(r.Context(), u, name, in); err != nil {
		return err
	}
	http.Redirect(w, r, "/collections/"+url.PathEscape(name)+"/signup", http.StatusSeeOther)
	return nil
}

func (srv *Server) withdrawSignup(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	name := r.PathValue("name")
	if err := srv.site.WithdrawSignup(r.Context(), u, name, 0); err != nil {
		return err
	}
	http.Redirect(w, r, "/collections/"+url.PathEscape(name), http.StatusSeeOther)
	return nil
}

// removeSignup is a maintainer taking a participant out of the exchange.
func (srv *Server) removeSignup(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return archive.Explain(archive.ErrNotFound, "no such sign-up")
	}
	name := r.PathValue("name")
	if err := srv.site.RemoveSignup(r.Context(), u, name, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/collections/"+url.PathEscape(name)+"/exchange#signups", http.StatusSeeOther)
	return nil
}

// volunteerPinchHit puts the reader on the pinch-hit list (action
// "join") or takes them off ("leave").
func (srv *Server) volunteerPinchHit(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return archive.Invalid("form", "could not be read")
	}
	name := r.PathValue("name")
	var join bool
	switch r.PostForm.Get("action") {
	case "join":
		join = true
	case "leave":
	default:
		return archive.Invalid("action", "must be join or leave")
	}
	if err := srv.site.VolunteerPinchHit(r.Context(), u, name, join); err != nil {
		return err
	}
	http.Redirect(w, r, "/collections/"+url.PathEscape(name), http.StatusSeeOther)
	return nil
}

type exchangePage struct {
	V       *site.ChallengeView
	Summary *site.SignupSummary
	Signups []*archive.Signup
	State   *site.ExchangeState
	Result  *site.MatchResult
	Unsent  int
}

func (srv *Server) exchangePage(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	ctx := r.Context()
	name := r.PathValue("name")
	v, err := srv.site.Challenge(ctx, u, name)
	if err != nil {
		return err
	}
	if !v.Maintainer {
		return archive.Explain(archive.ErrForbidden, "only the collection's maintainers run its exchange")
	}
	if v.Challenge == nil {
		http.Redirect(w, r, "/collections/"+url.PathEscape(name)+"/challenge", http.StatusSeeOther)
		return nil
	}
	p := &exchangePage{V: v}
	if p.Summary, err = srv.site.ExchangeSummary(ctx, u, name); err != nil {
		return err
	}
	if p.Signups, err = srv.site.Signups(ctx, u, name); err != nil {
		return err
	}
	if p.State, err = srv.site.Exchange(ctx, u, name); err != nil {
		return err
	}
	for _, a := range p.State.Assignments {
		if a.Status == "not sent" {
			p.Unsent++
		}
	}
	srv.render(w, r, http.StatusOK, "exchange", pageData{Title: "Exchange: " + v.Collection.Title, P: p})
	return nil
}

func (srv *Server) runMatching(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	name := r.PathValue("name")
	if _, err := srv.site.RunMatching(r.Context(), u, name); err != nil {
		return err
	}
	http.Redirect(w, r, "/collections/"+url.PathEscape(name)+"/exchange#assignments", http.StatusSeeOther)
	return nil
}

func (srv *Server) sendAssignments(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	name := r.PathValue("name")
	if _, err := srv.site.SendAssignments(r.Context(), u, name); err != nil {
		return err
	}
	http.Redirect(w, r, "/collections/"+url.PathEscape(name)+"/exchange#assignments", http.StatusSeeOther)
	return nil
}

func (srv *Server) setAssignmentGiver(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return archive.Explain(archive.ErrNotFound, "no such assignment")
	}
	if err := r.ParseForm(); err != nil {
		return archive.Invalid("form", "could not be read")
	}
	name := r.PathValue("name")
	// The pinch-hit form offers the volunteers (giver) and a typed name
	// (giver_typed), which wins when given.
	giver := r.PostForm.Get("giver")
	if typed := strings.TrimSpace(r.PostForm.Get("giver_typed")); typed != "" {
		giver = typed
	}
	if _, err := srv.site.SetAssignmentGiver(r.Context(), u, name, id, giver); err != nil {
		return err
	}
	http.Redirect(w, r, "/collections/"+url.PathEscape(name)+"/exchange#assignments", http.StatusSeeOther)
	return nil
}

func (srv *Server) myAssignments(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	as, err := srv.site.MyAssignments(r.Context(), u)
	if err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "assignments", pageData{Title: "My assignments", P: as})
	return nil
}

func (srv *Server) defaultAssignment(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return archive.Explain(archive.ErrNotFound, "no such assignment")
	}
	if _, err := srv.site.DefaultAssignment(r.Context(), u, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/assignments", http.StatusSeeOther)
	return nil
}
