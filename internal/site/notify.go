package site

import (
	"context"
	"fmt"
	"html"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"quire/internal/archive"
	"quire/internal/mail"
	"quire/internal/store"
)

// Notifications. When a chapter or a work becomes public (posted, on a work
// that is neither a draft nor hidden), every subscriber to the work, to one
// of its creators (or, once series exist, to one of its series) gets an
// inbox entry, and an e-mail when their preferences allow it. Comments put
// an entry in the inbox of the work's creators, replies in the inbox of the
// comment replied to; a held comment tells the creators only.
//
// E-mail is opt-in: archive.Preferences.EmailNotify is a plain bool whose
// zero value (every account that never saved the switch) means "inbox
// only". AO3 e-mails subscribers by default; Quire cannot tell "unset" from
// "off" in the stored preferences, and sending mail nobody asked for is the
// worse mistake for a self-hosted archive, so the switch must be on.
//
// Notifying runs after the post is committed and never fails it: a store
// error is logged. The mail itself is only enqueued (mail.Queue, the
// durable job table); the job runner sends it.

func (s *Site) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.New(slog.DiscardHandler)
}

// byline is the work's creators' pseuds, for subjects and inbox entries.
func byline(w *archive.Work) string {
	var names []string
	for _, c := range w.Creators {
		names = append(names, c.Pseud)
	}
	if len(names) == 0 {
		return "Anonymous"
	}
	return strings.Join(names, ", ")
}

// notifyNewWork tells subscribers about a work that was just posted.
func (s *Site) notifyNewWork(ctx context.Context, workID int64) {
	s.notifyPublished(context.WithoutCancel(ctx), workID, 0)
}

// notifyNewChapter tells subscribers about a chapter that was just posted.
func (s *Site) notifyNewChapter(ctx context.Context, workID, chapterID int64) {
	s.notifyPublished(context.WithoutCancel(ctx), workID, chapterID)
}

// subPriority orders the subscriptions behind one reader's notice: the
// unsubscribe link names the most specific one.
func subPriority(kind string) int {
	switch kind {
	case store.SubWork:
		return 0
	case store.SubSeries:
		return 1
	}
	return 2
}

func (s *Site) notifyPublished(ctx context.Context, workID, chapterID int64) {
	log := s.logger().With("work", workID, "chapter", chapterID)
	w, err := s.store.Work(ctx, workID)
	if err != nil {
		log.Warn("notify: load work", "err", err)
		return
	}
	if w.Draft || w.Hidden || w.AwaitingReview || w.Unrevealed {
		// A mystery work tells nobody anything until it is revealed.
		return
	}
	var c *archive.Chapter
	if chapterID != 0 {
		if c, err = s.store.Chapter(ctx, workID, chapterID); err != nil {
			log.Warn("notify: load chapter", "err", err)
			return
		}
		if c.Draft {
			return
		}
	}
	targets := []store.SubTarget{{Kind: store.SubWork, Target: w.ID}}
	var creators []int64
	for _, cr := range w.Creators {
		if cr.UserID != 0 && !slices.Contains(creators, cr.UserID) {
			creators = append(creators, cr.UserID)
			if !w.Anonymous {
				targets = append(targets, store.SubTarget{Kind: store.SubUser, Target: cr.UserID})
			}
		}
	}
	if w.Anonymous {
		// Only the work's own subscribers hear of an anonymous work, and
		// under "Anonymous": the creator's and series' subscribers would
		// learn who wrote it.
		w = anonymized(w, false)
	} else {
		refs, err := s.store.SeriesOfWorks(ctx, []int64{w.ID})
		if err != nil {
			log.Warn("notify: series of work", "err", err)
		}
		for _, ref := range refs[w.ID] {
			targets = append(targets, store.SubTarget{Kind: store.SubSeries, Target: ref.ID})
		}
	}
	subs, err := s.store.SubscribersOf(ctx, targets)
	if err != nil {
		log.Warn("notify: subscribers", "err", err)
		return
	}
	// One notice per reader, under their most specific subscription.
	best := map[int64]*store.Subscription{}
	var order []int64
	for _, sub := range subs {
		if slices.Contains(creators, sub.UserID) {
			continue
		}
		cur, seen := best[sub.UserID]
		if !seen {
			order = append(order, sub.UserID)
		}
		if !seen || subPriority(sub.Kind) < subPriority(cur.Kind) {
			best[sub.UserID] = sub
		}
	}
	kind := store.InboxWork
	if c != nil {
		kind = store.InboxChapter
	}
	now := s.Now().Truncate(1e9)
	var entries []*store.InboxEntry
	var mailTo []*archive.User
	for _, uid := range order {
		u, err := s.store.UserByID(ctx, uid)
		if err != nil {
			log.Warn("notify: load subscriber", "user", uid, "err", err)
			continue
		}
		if !CanView(u, w) || !w.Anonymous && s.mutesAny(ctx, u, creators) {
			continue
		}
		e := &store.InboxEntry{UserID: uid, Kind: kind, WorkID: w.ID, Actor: byline(w), WorkTitle: w.Title, CreatedAt: now}
		if c != nil {
			e.ChapterID = c.ID
		}
		entries = append(entries, e)
		if u.Preferences.EmailNotify && u.Email != "" {
			mailTo = append(mailTo, u)
		}
	}
	if err := s.store.AddInboxEntriesOnce(ctx, entries); err != nil {
		log.Warn("notify: inbox", "err", err)
		return
	}
	if s.Jobs == nil {
		return
	}
	// A reader the inbox already told (a retried publication) gets no
	// second mail either.
	told := map[int64]bool{}
	for _, e := range entries {
		if e.ID != 0 {
			told[e.UserID] = true
		}
	}
	for _, u := range mailTo {
		if !told[u.ID] {
			continue
		}
		msg, err := s.publishedMail(ctx, u, best[u.ID], w, c)
		if err == nil {
			err = mail.Queue(ctx, s.Jobs, msg)
		}
		if err != nil {
			log.Warn("notify: queue mail", "user", u.ID, "err", err)
		}
	}
}

// tellOnce adds the inbox entries their readers have not had yet and,
// through the job table, mails each newly told reader whose preferences
// allow it the message compose makes (false: none). A retried call tells
// nobody twice. what names the notice in the log.
func (s *Site) tellOnce(ctx context.Context, log *slog.Logger, what string, entries []*store.InboxEntry, compose func(*archive.User, *store.InboxEntry) (mail.Message, bool)) {
	if len(entries) == 0 {
		return
	}
	if err := s.store.AddInboxEntriesOnce(ctx, entries); err != nil {
		log.Warn(what, "err", err)
		return
	}
	if s.Jobs == nil {
		return
	}
	for _, e := range entries {
		if e.ID == 0 {
			continue // told before
		}
		u, err := s.store.UserByID(ctx, e.UserID)
		if err != nil || !u.Preferences.EmailNotify || u.Email == "" || u.Banned {
			continue
		}
		msg, ok := compose(u, e)
		if !ok {
			continue
		}
		if err := mail.Queue(ctx, s.Jobs, msg); err != nil {
			log.Warn(what+": queue mail", "user", u.ID, "err", err)
		}
	}
}

// mutesAny reports whether u muted one of the users.
func (s *Site) mutesAny(ctx context.Context, u *archive.User, ids []int64) bool {
	muted := s.MutedUserIDs(ctx, u)
	for _, id := range ids {
		if slices.Contains(muted, id) {
			return true
		}
	}
	return false
}

// publishedMail composes the notice of a new work (c nil) or chapter.
func (s *Site) publishedMail(ctx context.Context, u *archive.User, sub *store.Subscription, w *archive.Work, c *archive.Chapter) (mail.Message, error) {
	unsub, err := s.UnsubscribeURL(ctx, sub)
	if err != nil {
		return mail.Message{}, err
	}
	by := byline(w)
	var subject, what, link string
	if c != nil {
		link = fmt.Sprintf("%s/works/%d/chapters/%d", s.BaseURL, w.ID, c.ID)
		subject = fmt.Sprintf("[%s] Chapter %d of “%s” by %s", s.Name, c.Position, w.Title, by)
		what = fmt.Sprintf("%s posted chapter %d of “%s”", by, c.Position, w.Title)
		if c.Title != "" {
			what += fmt.Sprintf(": %s", c.Title)
		}
	} else {
		link = fmt.Sprintf("%s/works/%d", s.BaseURL, w.ID)
		subject = fmt.Sprintf("[%s] New work “%s” by %s", s.Name, w.Title, by)
		what = fmt.Sprintf("%s posted a new work, “%s”", by, w.Title)
	}
	why := "you subscribed to " + s.subscriptionPhrase(ctx, sub, w)
	inbox := s.BaseURL + "/inbox"
	prefs := s.BaseURL + "/account/preferences"
	text := fmt.Sprintf("Hello %s,\n\n%s.\n\nRead it: %s\n\nYou get this e-mail because %s.\n"+
		"Unsubscribe (no login needed): %s\nYour inbox: %s\nTurn off these e-mails: %s\n",
		u.Name, what, link, why, unsub, inbox, prefs)
	esc := html.EscapeString
	htmlBody := fmt.Sprintf(`<!doctype html><html><body>
<p>Hello %s,</p>
<p>%s.</p>
<p><a href="%s">Read it on %s</a></p>
<hr>
<p style="font-size:small">You get this e-mail because %s.
<a href="%s">Unsubscribe</a> (no login needed) · <a href="%s">Your inbox</a> · <a href="%s">Turn off these e-mails</a></p>
</body></html>`, esc(u.Name), esc(what), esc(link), esc(s.Name), esc(why), esc(unsub), esc(inbox), esc(prefs))
	return mail.Message{
		To:      u.Email,
		Subject: subject,
		Text:    text,
		HTML:    htmlBody,
		Headers: map[string]string{
			"List-Unsubscribe":      "<" + unsub + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		},
	}, nil
}

func (s *Site) subscriptionPhrase(ctx context.Context, sub *store.Subscription, w *archive.Work) string {
	switch sub.Kind {
	case store.SubWork:
		return "“" + w.Title + "”"
	case store.SubUser:
		for _, cr := range w.Creators {
			if cr.UserID == sub.Target {
				return "the works of " + cr.UserName
			}
		}
		return "the works of its creator"
	}
	if rec, err := s.store.SeriesByID(ctx, sub.Target); err == nil {
		return "the series " + rec.Title
	}
	return "series " + strconv.FormatInt(sub.Target, 10)
}

// notifyComment puts a just-posted comment in the inboxes it concerns: the
// work's creators (comment), the writer of the comment replied to (reply).
// A held comment reaches the creators only, who must approve it. Nobody is
// told of their own comment, nor of one by a user they muted.
func (s *Site) notifyComment(ctx context.Context, w *archive.Work, commentID int64) {
	ctx = context.WithoutCancel(ctx)
	log := s.logger().With("work", w.ID, "comment", commentID)
	cm, err := s.store.Comment(ctx, commentID)
	if err != nil {
		log.Warn("notify: load comment", "err", err)
		return
	}
	if w.Masked {
		// The reader's copy hides the creators, who must still be told.
		ws, err := s.worksByIDs(ctx, []int64{w.ID})
		if err != nil || len(ws) == 0 {
			log.Warn("notify: load work", "err", err)
			return
		}
		w = ws[0]
	}
	actor := cm.Pseud
	if actor == "" {
		actor = cm.GuestName
	}
	if (w.Anonymous || w.Unrevealed) && w.HasCreatorUser(cm.UserID) {
		actor = AnonymousCommenter
	}
	now := s.Now().Truncate(1e9)
	kinds := map[int64]string{}
	var order []int64
	add := func(uid int64, kind string) {
		if uid == 0 || uid == cm.UserID {
			return
		}
		if _, seen := kinds[uid]; !seen {
			order = append(order, uid)
		}
		kinds[uid] = kind
	}
	for _, cr := range w.Creators {
		add(cr.UserID, store.InboxComment)
	}
	if cm.Approved && cm.ParentID != 0 {
		if parent, err := s.store.Comment(ctx, cm.ParentID); err == nil {
			add(parent.UserID, store.InboxReply) // a reply to a creator is a reply
		}
	}
	var entries []*store.InboxEntry
	for _, uid := range order {
		if cm.UserID != 0 && actor != AnonymousCommenter {
			if slices.Contains(s.MutedUserIDs(ctx, &archive.User{ID: uid}), cm.UserID) {
				continue
			}
		}
		entries = append(entries, &store.InboxEntry{UserID: uid, Kind: kinds[uid], WorkID: w.ID, ChapterID: cm.ChapterID,
			CommentID: cm.ID, Actor: actor, WorkTitle: w.Title, CreatedAt: now})
	}
	if err := s.store.AddInboxEntries(ctx, entries); err != nil {
		log.Warn("notify: inbox", "err", err)
	}
}
