from . import test_duplicates
from . import test_standardise_enrich
from . import test_incremental
from . import test_hygiene_security
from . import test_capture_mail
from . import test_capture_calendar
from . import test_capture_security
from . import test_duplicates_people
