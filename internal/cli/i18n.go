package cli

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"quire/internal/i18n"
)

// localeFlags are serve's language flags; i18n status takes the same.
type localeFlags struct {
	def  string
	dir  string
	data *string
}

func (l *localeFlags) register(fs *flag.FlagSet, data *string) {
	l.data = data
	fs.StringVar(&l.def, "default-locale", i18n.Source, "the interface language for readers whose browser asks for none the archive speaks (en, es, de, zh-Hans, ja, ar, or one added under --locales)")
	fs.StringVar(&l.dir, "locales", "", "directory of catalog files (de.json…) that override or add interface languages (default DATA/locales)")
}

func (l *localeFlags) load() (*i18n.Catalog, error) {
	dir := l.dir
	if dir == "" && l.data != nil {
		dir = filepath.Join(*l.data, "locales")
	}
	return i18n.Load(dir, l.def)
}

// i18nCmd is "quire i18n status": each locale's untranslated messages.
func i18nCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "status" {
		return fmt.Errorf("usage: quire i18n status [--data DIR] [--locales DIR] [--all]")
	}
	fs := flag.NewFlagSet("i18n status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "./quire-data", "the archive's data directory (its locales/ folder is read)")
	all := fs.Bool("all", false, "list every untranslated message (default: the first 20 of each locale)")
	var lf localeFlags
	lf.register(fs, data)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	cat, err := lf.load()
	if err != nil {
		return err
	}
	src := cat.Lookup(i18n.Source)
	total := len(src.Keys())
	fmt.Fprintf(stdout, "%d messages in %s\n", total, i18n.Source)
	for _, l := range cat.Locales() {
		if l == src {
			continue
		}
		miss := l.Missing(src)
		fmt.Fprintf(stdout, "%-8s %-10s %s  %d/%d translated, plural forms %s\n", l.Code, l.Name, l.Dir, total-countKeys(miss), total, strings.Join(l.Forms(), " "))
		for i, m := range miss {
			if i == 20 && !*all {
				fmt.Fprintf(stdout, "    … and %d more (--all lists them)\n", len(miss)-20)
				break
			}
			fmt.Fprintf(stdout, "    untranslated: %q\n", m)
		}
	}
	return nil
}

// countKeys counts the messages in a Missing list (a message lacking
// two plural forms is listed twice).
func countKeys(miss []string) int {
	seen := map[string]bool{}
	for _, m := range miss {
		if i := strings.LastIndex(m, " ["); i > 0 && strings.HasSuffix(m, "]") {
			m = m[:i]
		}
		seen[m] = true
	}
	return len(seen)
}
