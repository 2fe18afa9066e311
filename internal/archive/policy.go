package archive

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Sign-up policies.
const (
	SignupOpen   = "open"
	SignupInvite = "invite"
	SignupClosed = "closed"
)

// Policy is the archive's sign-up policy and spam limits: site settings an
// admin changes while the archive runs.
type Policy struct {
	Signup           string // SignupOpen, SignupInvite or SignupClosed
	VerifyEmail      bool   // new accounts follow a mailed link before they write
	NewAccountHours  int    // an account younger than this is "new" (0: none is)
	NewAccountWorks  int    // works a new account may post
	ReviewFirstWorks int    // an account's first N works wait for a moderator
	RefuseRatings    []string
	// RefusalMessage is what a creator posting a refused rating is told
	// (a default names the rating when it is empty).
	RefusalMessage string
}

// Policy limits.
const (
	// NewAccountCommentsPerHour bounds a new account's comments.
	NewAccountCommentsPerHour = 10
	// GuestCommentsPerHour is how many comments an address may post in an
	// hour before its further guest comments are held for moderation.
	GuestCommentsPerHour = 10
	// MaxGuestCommentLinks is how many links a guest comment may hold
	// before it is held for moderation.
	MaxGuestCommentLinks = 2
	maxPolicyNumber      = 1_000_000
	maxRefusalMessage    = 1000
)

// DefaultPolicy is the policy of an archive no one has configured.
func DefaultPolicy() Policy {
	return Policy{Signup: SignupOpen, NewAccountHours: 24, NewAccountWorks: 3}
}

// Check validates the policy and puts refused ratings in canonical form.
func (p *Policy) Check() error {
	switch p.Signup {
	case SignupOpen, SignupInvite, SignupClosed:
	default:
		return Invalid("signup", "must be open, invite or closed, not %q", p.Signup)
	}
	for _, n := range []struct {
		field string
		v     int
	}{{"new_account_hours", p.NewAccountHours}, {"new_account_works", p.NewAccountWorks}, {"review_first_works", p.ReviewFirstWorks}} {
		if n.v < 0 || n.v > maxPolicyNumber {
			return Invalid(n.field, "must be a whole number from 0 to %d", maxPolicyNumber)
		}
	}
	var refused []string
	for _, r := range p.RefuseRatings {
		r = strings.TrimSpace(r)
		if r == "" {
			continue
		}
		i := slices.IndexFunc(Ratings, func(x string) bool { return strings.EqualFold(x, r) })
		if i < 0 {
			return Invalid("refuse_rating", "%q is not a rating; the ratings are %s", r, strings.Join(Ratings, ", "))
		}
		if !slices.Contains(refused, Ratings[i]) {
			refused = append(refused, Ratings[i])
		}
	}
	p.RefuseRatings = refused
	p.RefusalMessage = strings.TrimSpace(p.RefusalMessage)
	if len([]rune(p.RefusalMessage)) > maxRefusalMessage {
		return Invalid("refusal_message", "is longer than %d characters", maxRefusalMessage)
	}
	return nil
}

// CheckRating refuses a work whose rating the policy refuses; every path
// that posts or imports a work calls it.
func (p Policy) CheckRating(w *Work) error {
	r := w.Rating()
	if !slices.Contains(p.RefuseRatings, r) {
		return nil
	}
	if p.RefusalMessage != "" {
		return Invalid("rating", "%s", p.RefusalMessage)
	}
	return Invalid("rating", "this archive does not accept works rated %s", r)
}

// Settings is the policy as the settings table keeps it.
func (p Policy) Settings() map[string]string {
	return map[string]string{
		"signup":             p.Signup,
		"verify_email":       strconv.FormatBool(p.VerifyEmail),
		"new_account_hours":  strconv.Itoa(p.NewAccountHours),
		"new_account_works":  strconv.Itoa(p.NewAccountWorks),
		"review_first_works": strconv.Itoa(p.ReviewFirstWorks),
		"refuse_ratings":     strings.Join(p.RefuseRatings, "\n"),
		"refusal_message":    p.RefusalMessage,
	}
}

// PolicyFromSettings reads a policy from stored settings. A key missing
// or unreadable is off: an archive whose settings were never written (by
// serve, from its flags) limits nothing and needs no invitation.
func PolicyFromSettings(kv map[string]string) Policy {
	p := Policy{Signup: SignupOpen}
	num := func(key string, dst *int) {
		if n, err := strconv.Atoi(kv[key]); err == nil && n >= 0 {
			*dst = n
		}
	}
	if v := kv["signup"]; v == SignupOpen || v == SignupInvite || v == SignupClosed {
		p.Signup = v
	}
	p.VerifyEmail = kv["verify_email"] == "true"
	num("new_account_hours", &p.NewAccountHours)
	num("new_account_works", &p.NewAccountWorks)
	num("review_first_works", &p.ReviewFirstWorks)
	for _, r := range strings.Split(kv["refuse_ratings"], "\n") {
		if r = strings.TrimSpace(r); r != "" {
			p.RefuseRatings = append(p.RefuseRatings, r)
		}
	}
	p.RefusalMessage = kv["refusal_message"]
	return p
}

// Invitation is one sign-up invitation: sent to Email (SentAt set), or
// held unsent by OwnerID to hand on.
type Invitation struct {
	ID        int64
	OwnerID   int64 // 0: issued by the archive
	Email     string
	CreatedAt time.Time
	SentAt    time.Time
	UsedAt    time.Time
	UsedBy    string // the account made with it
}
