from opsctl.cli.main import app

app(prog_name="opsctl")
