package site

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// policyTTL bounds how long a node keeps the settings it read: on one
// PostgreSQL the change feed tells every node of a change at once, and
// this catches a node whose feed is behind.
const policyTTL = 5 * time.Second

// policyState is the node's copy of the site settings, and what the spam
// defences stopped.
type policyState struct {
	mu      sync.Mutex
	p       archive.Policy
	expires time.Time
	stopped sync.Map // defence name → *atomic.Int64
}

// Spam defences, as /metrics names what each stopped.
const (
	DefenceHoneypot       = "honeypot"
	DefenceNewAccountWork = "new_account_works"
	DefenceNewAccountComm = "new_account_comments"
	DefenceHeldComment    = "held_comment"
	DefenceHeldWork       = "held_work"
	DefenceRefusedRating  = "refused_rating"
	DefenceUnverified     = "unverified"
	DefenceSignupRefused  = "signup_refused"
)

// Defences lists every defence, for /metrics.
var Defences = []string{DefenceHoneypot, DefenceNewAccountWork, DefenceNewAccountComm, DefenceHeldComment,
	DefenceHeldWork, DefenceRefusedRating, DefenceUnverified, DefenceSignupRefused}

// NoteStopped counts one thing a spam defence stopped or held.
func (s *Site) NoteStopped(defence string) {
	c, _ := s.policy.stopped.LoadOrStore(defence, new(atomic.Int64))
	c.(*atomic.Int64).Add(1)
}

// Stopped is how many things the defence stopped on this node.
func (s *Site) Stopped(defence string) int64 {
	if c, ok := s.policy.stopped.Load(defence); ok {
		return c.(*atomic.Int64).Load()
	}
	return 0
}

// Policy is the archive's current sign-up policy and spam limits.
func (s *Site) Policy(ctx context.Context) (archive.Policy, error) {
	s.policy.mu.Lock()
	defer s.policy.mu.Unlock()
	if s.Now().Before(s.policy.expires) {
		return s.policy.p, nil
	}
	kv, err := s.store.Settings(ctx)
	if err != nil {
		return archive.Policy{}, fmt.Errorf("read settings: %w", err)
	}
	s.policy.p = archive.PolicyFromSettings(kv)
	s.policy.expires = s.Now().Add(policyTTL)
	return s.policy.p, nil
}

// forgetPolicy makes the next request read the settings afresh.
func (s *Site) forgetPolicy() {
	s.policy.mu.Lock()
	s.policy.expires = time.Time{}
	s.policy.mu.Unlock()
}

// InitPolicy stores the serve flags' policy for each setting no one has
// set yet: a setting changed at /admin/settings outlives a restart.
func (s *Site) InitPolicy(ctx context.Context, p archive.Policy) error {
	if err := p.Check(); err != nil {
		return err
	}
	if err := s.store.InitSettings(ctx, p.Settings()); err != nil {
		return err
	}
	s.forgetPolicy()
	return nil
}

// SetPolicy changes the policy (admins only); every node follows on its
// next request.
func (s *Site) SetPolicy(ctx context.Context, u *archive.User, p archive.Policy) error {
	if u == nil {
		return archive.ErrAuth
	}
	if !u.IsAdmin() {
		return fmt.Errorf("site settings are for admins: %w", archive.ErrForbidden)
	}
	if err := p.Check(); err != nil {
		return err
	}
	kv, err := s.store.Settings(ctx)
	if err != nil {
		return fmt.Errorf("read settings: %w", err)
	}
	changes := policyChanges(archive.PolicyFromSettings(kv), p)
	if changes == "" {
		return nil // nothing changes, nothing to log
	}
	if err := s.store.SetSettings(ctx, p.Settings(), s.entry(u, archive.AuditChangeSettings, "settings", changes)); err != nil {
		return err
	}
	s.forgetPolicy()
	s.logger().Info("site policy changed", "by", u.Name, "signup", p.Signup, "verify_email", p.VerifyEmail,
		"new_account_hours", p.NewAccountHours, "new_account_works", p.NewAccountWorks, "review_first_works", p.ReviewFirstWorks,
		"refuse_ratings", p.RefuseRatings)
	return nil
}

// policyChanges says, for the audit log, which settings differ between
// two policies and how: `signup: "open" → "invite"; …` ("" when none).
func policyChanges(old, p archive.Policy) string {
	was, now := old.Settings(), p.Settings()
	keys := make([]string, 0, len(now))
	for k := range now {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	show := func(v string) string {
		v, _ = archive.Clip(strings.ReplaceAll(v, "\n", ", "), 200)
		return strconv.Quote(v)
	}
	for _, k := range keys {
		if was[k] != now[k] {
			out = append(out, fmt.Sprintf("%s: %s → %s", k, show(was[k]), show(now[k])))
		}
	}
	return strings.Join(out, "; ")
}

// ErrUnverified refuses a write by an account that has not verified its
// e-mail address.
var ErrUnverified = &Refusal{Code: "unverified", Message: "please verify your e-mail address first: follow the link we mailed you (your account page can send it again)"}

// checkWriter refuses a write (a work, chapter, comment, bookmark or kudos)
// by an account that must still verify its e-mail address.
func (s *Site) checkWriter(ctx context.Context, u *archive.User) error {
	if u == nil {
		return nil
	}
	p, err := s.Policy(ctx)
	if err != nil {
		return err
	}
	if !p.VerifyEmail {
		return nil
	}
	unverified, err := s.store.EmailUnverified(ctx, u.ID)
	if err != nil {
		return err
	}
	if unverified {
		s.NoteStopped(DefenceUnverified)
		return ErrUnverified
	}
	return nil
}

// isNew reports whether u is a new account under the policy: one that
// signed up through the form less than NewAccountHours ago (accounts an
// operator made, and moderators, are trusted).
func (s *Site) isNew(ctx context.Context, p archive.Policy, u *archive.User) (bool, error) {
	if u == nil || u.Has(archive.RoleModerator) || s.Now().Sub(u.CreatedAt) >= time.Duration(p.NewAccountHours)*time.Hour {
		return false, nil
	}
	return s.store.SelfSignup(ctx, u.ID)
}

// checkNewWork applies the policy to a work u is about to post: the
// refused ratings, the new-account limit, and the review of first works
// (a held work carries the audit log's line about it).
func (s *Site) checkNewWork(ctx context.Context, u *archive.User, nw *store.NewWork) error {
	w := nw.Work
	p, err := s.Policy(ctx)
	if err != nil {
		return err
	}
	if err := p.CheckRating(w); err != nil {
		s.NoteStopped(DefenceRefusedRating)
		return err
	}
	if err := s.checkWriter(ctx, u); err != nil {
		return err
	}
	isNew, err := s.isNew(ctx, p, u)
	if err != nil {
		return err
	}
	if isNew || p.ReviewFirstWorks > 0 {
		ids, err := s.store.WorkIDsByUser(ctx, u.ID)
		if err != nil {
			return err
		}
		if isNew && len(ids) >= p.NewAccountWorks {
			s.NoteStopped(DefenceNewAccountWork)
			when := u.CreatedAt.Add(time.Duration(p.NewAccountHours) * time.Hour).UTC()
			return archive.Invalid("work", "a new account may post %d works in its first %d hours; you can post more from %s",
				p.NewAccountWorks, p.NewAccountHours, when.Format("2006-01-02 15:04 UTC"))
		}
		if len(ids) < p.ReviewFirstWorks && !u.Has(archive.RoleModerator) {
			w.AwaitingReview = true
			s.NoteStopped(DefenceHeldWork)
			nw.Audit = s.entry(nil, archive.AuditHoldWork, "", fmt.Sprintf("held for review: work %d of the first %d by %s, which a moderator approves before they are public",
				len(ids)+1, p.ReviewFirstWorks, u.Name))
		}
	}
	return nil
}

// checkNewComment applies the policy to a comment about to be posted: a
// new account's hourly limit, and the guest comments held for the
// creator's approval (too many links, or an address over its limit). It
// returns the audit log's line about a comment that must be held (its
// target left for the store to fill), or nil.
func (s *Site) checkNewComment(ctx context.Context, u *archive.User, body archive.Rich, addressHash string) (*archive.AuditEntry, error) {
	p, err := s.Policy(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.checkWriter(ctx, u); err != nil {
		return nil, err
	}
	now := s.Now()
	if u != nil {
		if isNew, err := s.isNew(ctx, p, u); err != nil || !isNew {
			return nil, err
		}
		times, err := s.store.CommentTimesSince(ctx, u.ID, "", now.Add(-time.Hour))
		if err != nil {
			return nil, err
		}
		if len(times) >= archive.NewAccountCommentsPerHour {
			s.NoteStopped(DefenceNewAccountComm)
			wait := max(times[len(times)-archive.NewAccountCommentsPerHour].Add(time.Hour).Sub(now), time.Second)
			return nil, &RateLimitError{Wait: wait, Message: fmt.Sprintf(
				"a new account may post %d comments an hour; you can comment again in %d minutes", archive.NewAccountCommentsPerHour, int(wait.Minutes())+1)}
		}
		return nil, nil
	}
	if n := countLinks(body.Source); n > archive.MaxGuestCommentLinks {
		s.NoteStopped(DefenceHeldComment)
		return s.entry(nil, archive.AuditHoldComment, "", fmt.Sprintf("held for the creator's approval: a guest comment with %d links (more than %d)",
			n, archive.MaxGuestCommentLinks)), nil
	}
	times, err := s.store.CommentTimesSince(ctx, 0, addressHash, now.Add(-time.Hour))
	if err != nil {
		return nil, err
	}
	if len(times) >= archive.GuestCommentsPerHour {
		s.NoteStopped(DefenceHeldComment)
		return s.entry(nil, archive.AuditHoldComment, "", fmt.Sprintf("held for the creator's approval: a guest address over its limit of %d comments an hour",
			archive.GuestCommentsPerHour)), nil
	}
	return nil, nil
}

var linkRe = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s"'<>]+`)

// countLinks counts the distinct addresses a comment's source names,
// linked or bare.
func countLinks(src string) int {
	seen := map[string]bool{}
	for _, l := range linkRe.FindAllString(src, -1) {
		seen[strings.ToLower(strings.TrimRight(l, ".,;:!?)"))] = true
	}
	return len(seen)
}

// checkRating refuses an edit that gives a work a rating the policy refuses.
func (s *Site) checkRating(ctx context.Context, w *archive.Work) error {
	p, err := s.Policy(ctx)
	if err != nil {
		return err
	}
	if err := p.CheckRating(w); err != nil {
		s.NoteStopped(DefenceRefusedRating)
		return err
	}
	return nil
}
