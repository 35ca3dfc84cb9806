// Command vaops-ferretdb runs FerretDB v1 embedded, on its SQLite backend, built with our patch
// (patches/, applied by infra/local/infra.cjs): filters on indexed fields run as SQLite index seeks,
// and single-document writes are atomic.
//
// We embed the ferretdb package instead of `go install`ing cmd/ferretdb because that binary
// panics at start on a missing version file (FerretDB issue 2982); as a library the check is skipped.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data", "", "SQLite data folder (required)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	if *dataDir == "" {
		fmt.Fprintln(os.Stderr, "vaops-ferretdb: -data is required")
		os.Exit(2)
	}
	if err := os.MkdirAll(*dataDir, 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "vaops-ferretdb: cannot create %s: %v\n", *dataDir, err)
		os.Exit(1)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "vaops-ferretdb: bad -log-level: %v\n", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Handler:   "sqlite",
		// WAL with synchronous=normal: a commit survives the server's crash or SIGKILL (not a power
		// loss), without an fsync per write
		SQLiteURL: "file:" + *dataDir + "/?_pragma=synchronous(normal)",
		Logger:    logger,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "vaops-ferretdb: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	fmt.Fprintf(os.Stderr, "vaops-ferretdb: listening on %s, data in %s\n", *listen, *dataDir)
	if err := f.Run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "vaops-ferretdb: %v\n", err)
		os.Exit(1)
	}
}
