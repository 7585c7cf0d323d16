"""`leadscore dashboard`: serve the Streamlit app on $LEADSCORE_DASHBOARD_HOST:$LEADSCORE_DASHBOARD_PORT."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HOST_ENV, PORT_ENV = "LEADSCORE_DASHBOARD_HOST", "LEADSCORE_DASHBOARD_PORT"
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8501
APP = Path(__file__).with_name("app.py")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=os.environ.get(HOST_ENV, DEFAULT_HOST),
                        help=f"Address to listen on (default ${HOST_ENV} or {DEFAULT_HOST}).")
    parser.add_argument("--port", type=int, default=None,
                        help=f"Port (default ${PORT_ENV} or {DEFAULT_PORT}).")


def port_from_env() -> int:
    text = os.environ.get(PORT_ENV, str(DEFAULT_PORT))
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise SystemExit(f"dashboard: {PORT_ENV}={text!r} is not a port number (1-65535)")
    return int(text)


def streamlit_command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(APP), "--server.address", host,
            "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", "--global.developmentMode", "false",
            "--client.toolbarMode", "viewer"]


def run(args: argparse.Namespace) -> int:
    port = args.port if args.port is not None else port_from_env()
    print(f"dashboard: http://{args.host}:{port}/ (Ctrl-C stops it)", flush=True)
    command = streamlit_command(args.host, port)
    os.execv(command[0], command)  # become the server: a signal to this process stops it
    return 0
