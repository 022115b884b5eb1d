"""`python -m bot.preview` (= `make preview`)."""

import sys

from bot.preview.runner import main

sys.exit(main())
