# SPDX-License-Identifier: MIT
from .story import Simulation as ExchangeLog
