package dump

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"quire/internal/archive"
	"quire/internal/store"
	"quire/internal/text"
)

// The site's settings, its banner and its invitations, after the news:
//
//	{"type":"setting","key","value"} (by key: the sign-up policy and spam
//	 limits an admin set at /admin/settings)
//	{"type":"banner","text","text_source","text_format","version","updated_at"}
//	 (when a banner was ever set; "text" is "" once it was removed)
//	{"type":"invite_request","email","created_at"} (the invitation queue, in
//	 its order)
//	{"type":"invitation","id","owner" (null: issued by the archive; else the
//	 account holding it to hand on),"email" ("" until sent),"created_at",
//	 "sent_at","used_at","used_by" (null: not yet)} — and, with
//	 --with-secrets, "token_hash" (without it, a link mailed before the
//	 move stops working)

type settingLine struct {
	Type  string `json:"type"`
	Key   string `json:"key"`
	Value string `json:"value"`
}

type bannerLine struct {
	Type       string `json:"type"`
	Text       string `json:"text"`
	TextSource string `json:"text_source"`
	TextFormat string `json:"text_format"`
	Version    int64  `json:"version"`
	UpdatedAt  string `json:"updated_at"`
}

type inviteRequestLine struct {
	Type      string `json:"type"`
	Email     string `json:"email"`
	CreatedAt string `json:"created_at"`
}

type invitationLine struct {
	Type      string  `json:"type"`
	ID        int64   `json:"id"`
	Owner     *string `json:"owner"`
	Email     string  `json:"email"`
	CreatedAt string  `json:"created_at"`
	SentAt    *string `json:"sent_at"`
	UsedAt    *string `json:"used_at"`
	UsedBy    *string `json:"used_by"`
	TokenHash *string `json:"token_hash,omitempty"`
}

// MaxSettingKey bounds a setting's key, MaxSettingValue its value (in
// characters), on import.
const (
	MaxSettingKey   = 100
	MaxSettingValue = 10_000
)

func settingToLine(s *store.DumpSetting) settingLine {
	return settingLine{Type: "setting", Key: s.Key, Value: s.Value}
}

func bannerToLine(b *archive.Banner) bannerLine {
	return bannerLine{Type: "banner", Text: b.Text.HTML, TextSource: b.Text.Source, TextFormat: format(b.Text.Format),
		Version: b.Version, UpdatedAt: ts(b.UpdatedAt)}
}

func inviteRequestToLine(r *store.DumpInviteRequest) inviteRequestLine {
	return inviteRequestLine{Type: "invite_request", Email: r.Email, CreatedAt: ts(r.CreatedAt)}
}

func invitationToLine(d *store.DumpInvitation) invitationLine {
	i := &d.Invitation
	l := invitationLine{Type: "invitation", ID: i.ID, Owner: orNull(d.Owner), Email: i.Email, CreatedAt: ts(i.CreatedAt),
		SentAt: orNull(ts(i.SentAt)), UsedAt: orNull(ts(i.UsedAt)), UsedBy: orNull(i.UsedBy)}
	if d.TokenHash != "" {
		h := d.TokenHash
		l.TokenHash = &h
	}
	return l
}

func (im *importer) setting(l settingLine) (*store.DumpSetting, error) {
	key := strings.TrimSpace(l.Key)
	if key == "" {
		return nil, errors.New("key: a setting needs a key")
	}
	if utf8.RuneCountInString(key) > MaxSettingKey || !utf8.ValidString(key) || strings.ContainsRune(key, 0) {
		return nil, fmt.Errorf("key: must be valid text of at most %d characters", MaxSettingKey)
	}
	v := strings.ReplaceAll(text.ValidUTF8(l.Value), "\x00", "")
	if utf8.RuneCountInString(v) > MaxSettingValue {
		return nil, fmt.Errorf("setting %s: the value is longer than %d characters", key, MaxSettingValue)
	}
	if err := im.onceNamed("the setting " + key); err != nil {
		return nil, err
	}
	return &store.DumpSetting{Key: key, Value: v}, nil
}

func (im *importer) banner(l bannerLine) (*archive.Banner, error) {
	if err := im.onceNamed("the banner"); err != nil {
		return nil, err
	}
	if l.Version < 1 {
		return nil, errors.New("version: a banner's version is 1 or more")
	}
	src, f := source(l.TextSource, l.TextFormat, l.Text)
	if _, err := richFormat("text_format", string(f)); err != nil {
		return nil, err
	}
	rich, err := archive.PrepareBanner(src, string(f))
	if err != nil {
		return nil, fmt.Errorf("banner: %v", err)
	}
	b := &archive.Banner{Version: l.Version, Text: rich}
	if b.UpdatedAt, err = im.parseTime("updated_at", l.UpdatedAt, true); err != nil {
		return nil, err
	}
	return b, nil
}

func (im *importer) inviteRequest(l inviteRequestLine) (*store.DumpInviteRequest, error) {
	email, err := archive.CleanEmail(l.Email)
	if err != nil {
		return nil, err
	}
	r := &store.DumpInviteRequest{Email: email}
	if r.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
		return nil, err
	}
	return r, nil
}

func (im *importer) invitation(l invitationLine) (*store.DumpInvitation, error) {
	if l.ID <= 0 {
		return nil, errors.New("an invitation needs a positive id")
	}
	if err := im.once("invitation", l.ID); err != nil {
		return nil, err
	}
	fail := func(err error) (*store.DumpInvitation, error) {
		return nil, fmt.Errorf("invitation %d: %v", l.ID, err)
	}
	d := &store.DumpInvitation{}
	inv := &d.Invitation
	inv.ID = l.ID
	var err error
	if l.Owner != nil {
		d.Owner = strings.TrimSpace(*l.Owner)
	}
	if l.UsedBy != nil {
		inv.UsedBy = strings.TrimSpace(*l.UsedBy)
	}
	if inv.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
		return fail(err)
	}
	if l.SentAt != nil {
		if inv.SentAt, err = im.parseTime("sent_at", *l.SentAt, true); err != nil {
			return fail(err)
		}
	}
	if l.UsedAt != nil {
		if inv.UsedAt, err = im.parseTime("used_at", *l.UsedAt, true); err != nil {
			return fail(err)
		}
	}
	if e := strings.TrimSpace(l.Email); e != "" {
		if inv.Email, err = archive.CleanEmail(e); err != nil {
			return fail(err)
		}
	}
	switch {
	case inv.Email != "" && inv.SentAt.IsZero():
		return fail(errors.New("sent_at: an invitation to an address was sent; give when"))
	case inv.Email == "" && !inv.SentAt.IsZero():
		return fail(errors.New("email: a sent invitation names the address it went to"))
	case d.Owner == "" && inv.Email == "":
		return fail(errors.New("owner: an unsent invitation is held by an account"))
	case !inv.UsedAt.IsZero() && inv.SentAt.IsZero():
		return fail(errors.New("used_at: an invitation is used after it is sent"))
	}
	if l.TokenHash != nil {
		d.TokenHash = strings.TrimSpace(*l.TokenHash)
		if d.TokenHash != "" && inv.SentAt.IsZero() {
			return fail(errors.New("token_hash: an unsent invitation has no link"))
		}
	}
	return d, nil
}

// onceNamed refuses a second line of the same named record.
func (im *importer) onceNamed(what string) error {
	if im.named == nil {
		im.named = map[string]int{}
	}
	if first, ok := im.named[what]; ok {
		return fmt.Errorf("%s appears twice in the file (first on line %d)", what, first)
	}
	im.named[what] = im.line
	return nil
}

// putPolicy reads a settings, banner or invitation line; ok is false for
// another type.
func (im *importer) putPolicy(ctx context.Context, w store.DumpWriter, kind string, raw []byte) (ok bool, err error) {
	switch kind {
	case "setting":
		var l settingLine
		if err := strict(raw, &l); err != nil {
			return true, err
		}
		s, err := im.setting(l)
		if err != nil {
			return true, err
		}
		return true, w.PutSetting(ctx, s)
	case "banner":
		var l bannerLine
		if err := strict(raw, &l); err != nil {
			return true, err
		}
		b, err := im.banner(l)
		if err != nil {
			return true, err
		}
		return true, w.PutBanner(ctx, b)
	case "invite_request":
		var l inviteRequestLine
		if err := strict(raw, &l); err != nil {
			return true, err
		}
		r, err := im.inviteRequest(l)
		if err != nil {
			return true, err
		}
		return true, w.PutInviteRequest(ctx, r)
	case "invitation":
		var l invitationLine
		if err := strict(raw, &l); err != nil {
			return true, err
		}
		d, err := im.invitation(l)
		if err != nil {
			return true, err
		}
		return true, w.PutInvitation(ctx, d)
	}
	return false, nil
}
