package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"quire/internal/jobs"
	"quire/internal/listing"
	"quire/internal/mail"
	"quire/internal/site"
)

// digestCmd runs one pass of the saved-search digests now: every reader
// due a daily or weekly digest for the current period gets it queued
// (once, whatever other nodes do). With --smtp it also sends the mail
// queued so far, as a running node would.
func digestCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("digest", stderr)
	var sf storeFlags
	sf.register(fs)
	now := fs.Bool("now", false, "run the digest pass now (required: it queues mail)")
	smtpURL := fs.String("smtp", "", "also send the queued mail through this SMTP server (smtp://host:port); empty = leave it to a running quire serve")
	mailFrom := fs.String("mail-from", "quire@localhost", "the From address of the archive's mail")
	baseURL := fs.String("base-url", "http://127.0.0.1:8080", "the archive's public URL, for the links in the mail")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("digest takes no arguments, got %q", fs.Arg(0))
	}
	if !*now {
		return errors.New("digest: give --now to queue the digests due now (a running quire serve does it every minute by itself)")
	}
	var sender mail.Sender
	if *smtpURL != "" {
		var err error
		if sender, err = mail.NewSMTP(*smtpURL, *mailFrom); err != nil {
			return fmt.Errorf("--smtp: %w", err)
		}
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	ix, err := listing.Build(ctx, st, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	runner := jobs.NewRunner(st, log)
	s := site.New(st, ix, runner, log, strings.TrimRight(*baseURL, "/"))
	rep, err := s.RunDigests(ctx, time.Now().UTC())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "digest: %d mailed, %d with no new works, %d already sent\n", rep.Mailed, rep.Empty, rep.Taken)
	if sender == nil {
		return nil
	}
	mail.Register(runner, sender)
	n, err := runner.RunDue(ctx)
	if err != nil {
		return err
	}
	pending, err := st.PendingJobs(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "digest: ran %d queued jobs; %d left (retrying or not yet due)\n", n, pending)
	return nil
}
