// Command wurzel renders a data pipeline for an orchestrator, or runs it here.
package main

import (
	"os"

	"github.com/wurzel-dev/wurzel/cmd"
)

func main() { os.Exit(cmd.Main()) }
