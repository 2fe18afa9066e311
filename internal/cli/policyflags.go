package cli

import (
	"flag"
	"strings"

	"quire/internal/archive"
)

// policyFlags are serve's sign-up policy and spam limits: the site
// settings' values until an admin changes them at /admin/settings.
type policyFlags struct {
	signup           *string
	verifyEmail      *bool
	newAccountHours  *int
	newAccountWorks  *int
	reviewFirstWorks *int
	refuseRatings    ratingList
}

func (p *policyFlags) register(fs *flag.FlagSet) {
	d := archive.DefaultPolicy()
	p.signup = fs.String("signup", d.Signup, "who may make an account: open, invite or closed (the initial site setting; /admin/settings changes it)")
	p.verifyEmail = fs.Bool("verify-email", d.VerifyEmail, "new accounts follow a mailed link before they post, comment, bookmark or give kudos")
	p.newAccountHours = fs.Int("new-account-hours", d.NewAccountHours, "an account younger than this many hours is new (limited)")
	p.newAccountWorks = fs.Int("new-account-works", d.NewAccountWorks, "works a new account may post")
	p.reviewFirstWorks = fs.Int("review-first-works", d.ReviewFirstWorks, "hold each account's first N works for a moderator's approval (0 = none)")
	fs.Var(&p.refuseRatings, "refuse-rating", "refuse works with this rating (repeatable; the environment variable takes a comma-separated list)")
}

func (p *policyFlags) policy() archive.Policy {
	return archive.Policy{Signup: *p.signup, VerifyEmail: *p.verifyEmail, NewAccountHours: *p.newAccountHours,
		NewAccountWorks: *p.newAccountWorks, ReviewFirstWorks: *p.reviewFirstWorks, RefuseRatings: p.refuseRatings}
}

// ratingList is a repeatable flag; one value may also list several,
// separated by commas.
type ratingList []string

func (l *ratingList) String() string { return strings.Join(*l, ",") }

func (l *ratingList) Set(v string) error {
	for _, r := range strings.Split(v, ",") {
		if r = strings.TrimSpace(r); r != "" {
			*l = append(*l, r)
		}
	}
	return nil
}
